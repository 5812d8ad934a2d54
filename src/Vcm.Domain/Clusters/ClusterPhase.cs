namespace Vcm.Domain.Clusters;

/// <summary>Where a cluster is in its life. Allowed moves are in <see cref="PhaseTransitions"/>.</summary>
public enum ClusterPhase
{
    /// <summary>Admitted; capacity is held for its window; waiting for the start time.</summary>
    Scheduled,

    /// <summary>Being built on the hosts.</summary>
    Provisioning,

    /// <summary>Every node runs.</summary>
    Ready,

    /// <summary>Was ready, and some part is not as desired now; being repaired.</summary>
    Degraded,

    /// <summary>Could not be built; what was made stays until release.</summary>
    Failed,

    /// <summary>Being taken down (end of window or deleted).</summary>
    Releasing,

    /// <summary>Nothing of it is left on any host and its capacity is free. Final.</summary>
    Released,

    /// <summary>Not admitted after all (its capacity vanished before it started). Final.</summary>
    Rejected,
}
