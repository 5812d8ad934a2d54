namespace Vcm.Drivers.Network;

/// <summary>
/// What a node told its gateway's metadata service when it phoned home: it booted, got its config, ran its
/// script, and this is its SSH host key (the public key line and its SHA256 fingerprint) for the caller to pin.
/// </summary>
public sealed record NodeReport(
    string Name,
    string Ip,
    string Hostname,
    string HostKey,
    string Fingerprint,
    double Uptime,
    string ScriptRc,
    DateTimeOffset At)
{
    /// <summary>The node's install at boot, when it had packages to install; null otherwise.</summary>
    public InstallReport? Install { get; init; }

    /// <summary>What of the cluster's set-up inside the node failed (NFS, Slurm, the tenant's files), "; "-separated; empty when all went well.</summary>
    public string SetupProblems { get; init; } = "";
}
