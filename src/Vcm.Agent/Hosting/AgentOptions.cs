using Vcm.Agent.Sim;

namespace Vcm.Agent.Hosting;

/// <summary>How an agent runs: where it listens, keeps its files, which manager it joins, which hosts it serves.</summary>
public sealed record AgentOptions
{
    /// <summary>Where the RPC server listens; port 0 picks a free port.</summary>
    public string Listen { get; init; } = "http://127.0.0.1:0";

    public required string DataDirectory { get; init; }

    /// <summary>The manager to join, e.g. http://127.0.0.1:8710.</summary>
    public string? JoinUrl { get; init; }

    public string? JoinToken { get; init; }

    /// <summary>When set, serve this many simulated hosts instead of this machine.</summary>
    public int? SimHosts { get; init; }

    public SimOptions Sim { get; init; } = new();

    /// <summary>Prefix of simulated host names: PREFIX-001 ….</summary>
    public string SimPrefix { get; init; } = "sim";

    /// <summary>Exit when this process is gone (the `vcm up` that started us).</summary>
    public int? ExitWithPid { get; init; }

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);
}
