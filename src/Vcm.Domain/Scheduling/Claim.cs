namespace Vcm.Domain.Scheduling;

/// <summary>Capacity held on one host by one cluster for the window [Start, End).</summary>
public sealed record Claim(string ClusterId, string HostId, DateTimeOffset Start, DateTimeOffset End, Resources Amount)
{
    public bool Overlaps(DateTimeOffset start, DateTimeOffset end) => Start < end && End > start;
}
