namespace Vcm.Domain.Hosts;

/// <summary>Whether a host takes new work. Stored in lower case.</summary>
public enum HostState
{
    /// <summary>Its agent reports; it takes placements.</summary>
    Ready,

    /// <summary>Its agent reports, but it takes no new placements (its VMs are being moved away).</summary>
    Draining,

    /// <summary>Its agent has not reported for too long; it takes no placements until it does.</summary>
    Down,

    /// <summary>
    /// Fenced, or declared dead by a provider: nothing of ours runs on it any more and its nodes are rebuilt on other
    /// hosts. It takes nothing, even when its agent reports again, until a provider brings it back.
    /// </summary>
    Dead,
}
