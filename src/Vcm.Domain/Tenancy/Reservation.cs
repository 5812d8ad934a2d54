namespace Vcm.Domain.Tenancy;

/// <summary>What a cluster holds of its tenant's quota over its window [Start, End).</summary>
public sealed record Reservation(DateTimeOffset Start, DateTimeOffset End, long Nodes, long Vcpus, long MemoryMb, long SharedMb)
{
    public bool Overlaps(DateTimeOffset from, DateTimeOffset to) => Start < to && from < End;

    /// <summary>Node-hours it holds inside [from, to).</summary>
    public double NodeHoursIn(DateTimeOffset from, DateTimeOffset to)
    {
        var start = Start > from ? Start : from;
        var end = End < to ? End : to;
        return end > start ? Nodes * (end - start).TotalHours : 0;
    }
}
