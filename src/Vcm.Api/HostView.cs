namespace Vcm.Api;

public sealed record HostView
{
    public required string Name { get; init; }

    public required string Site { get; init; }

    public required string State { get; init; }

    public required IReadOnlyList<string> Roles { get; init; }

    public required string Driver { get; init; }

    public required bool Kvm { get; init; }

    public required string Address { get; init; }

    public required CapacityView Capacity { get; init; }

    /// <summary>What is not claimed right now.</summary>
    public required CapacityView Free { get; init; }

    public required DateTimeOffset HeartbeatAt { get; init; }

    /// <summary>A draining host's progress; null for other hosts.</summary>
    public HostDrainView? Drain { get; init; }
}
