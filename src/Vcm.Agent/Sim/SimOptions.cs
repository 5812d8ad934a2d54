namespace Vcm.Agent.Sim;

/// <summary>How simulated hosts behave: their size, how slow each operation is, and how often one fails.</summary>
public sealed record SimOptions
{
    public int Cpus { get; init; } = 32;

    /// <summary>How many of the hosts (the first ones) also have the gateway and storage roles.</summary>
    public int GatewayHosts { get; init; } = 1;

    public long MemoryMb { get; init; } = 128 * 1024;

    public long DiskMb { get; init; } = 2 * 1024 * 1024;

    public TimeSpan Latency { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// The chance, 0 to 1, that an operation that changes the host fails; half of the failures strike after the
    /// change was made (a lost reply). Operations that find nothing to do never fail.
    /// </summary>
    public double FailureRate { get; init; }

    /// <summary>A folder to keep each host's inventory in, so that it outlives the agent process as a real host's would.</summary>
    public string? StateDirectory { get; init; }

    public int? Seed { get; init; }

    /// <summary>The clock simulated nodes phone home by (tests give a manual one).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
