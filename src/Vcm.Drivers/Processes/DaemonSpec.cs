namespace Vcm.Drivers.Processes;

/// <summary>
/// A long-running program a driver keeps on a host (dnsmasq, tgtd, a VM, a metadata service) that must outlive
/// the agent: started detached, its PID in <see cref="PidFile"/>, its output in <see cref="LogFile"/>.
/// <see cref="Marker"/> is text its command line must contain for a PID to count as it (PIDs are reused).
/// </summary>
public sealed record DaemonSpec(string FileName, IReadOnlyList<string> Arguments, string PidFile, string LogFile, string Marker)
{
    /// <summary>A network namespace to run it in (ip netns exec), or null for the agent's own.</summary>
    public string? Netns { get; init; }

    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();
}
