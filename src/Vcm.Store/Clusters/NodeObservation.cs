using Vcm.Domain.Clusters;

namespace Vcm.Store.Clusters;

/// <summary>What a reconcile saw of one node: its state, and when set, a (re)boot time and the host key it reported.</summary>
public sealed record NodeObservation(string Name, NodeState State, string? Detail = null, long? BootedMs = null, string? HostKey = null, string? Fingerprint = null)
{
    /// <summary>For a node at another site: the host there that runs it.</summary>
    public string? RemoteHost { get; init; }
}
