namespace Vcm.Domain.Events;

/// <summary>Why an event was written; stored and shown by name. A cluster's phase changes use the phase's name.</summary>
public enum EventReason
{
    // Phase changes (one per phase a cluster can move to).
    Scheduled,
    Provisioning,
    Ready,
    Degraded,
    Failed,
    Releasing,
    Released,
    Rejected,

    /// <summary>The cluster (or a part of another site's cluster) was admitted for its window.</summary>
    Admitted,

    /// <summary>A host step failed while building; retried with backoff.</summary>
    StepFailed,

    /// <summary>A host step failed while releasing; retried with backoff.</summary>
    ReleaseFailed,

    /// <summary>The controller itself failed (its store refused a write, an unexpected error); retried with backoff.</summary>
    ReconcileFailed,

    /// <summary>A VPN end between sites could not be kept running.</summary>
    VpnFailed,

    /// <summary>No VNI of the site's range is free.</summary>
    NoVni,

    /// <summary>No address of the site's external network is free.</summary>
    NoExternalAddress,

    /// <summary>A part at another site changed phase.</summary>
    Part,

    /// <summary>A peer site building a part did not answer.</summary>
    PartUnreachable,

    /// <summary>A peer site has not yet confirmed that its part is released.</summary>
    PartPendingRelease,

    /// <summary>The cluster's package set is being built into a layer of the site's image store.</summary>
    LayerBuilding,

    /// <summary>The cluster's layer was built (how long it took) or found built already; its nodes boot from it.</summary>
    LayerReady,

    /// <summary>The cluster's nodes boot the base or cache image and install the rest of its packages at boot (the way, and why).</summary>
    InstallAtBoot,

    /// <summary>A node installed its packages at boot (how many, how long) — or failed to (a Warning with apt's error).</summary>
    PackagesInstalled,

    /// <summary>A node phoned home with part of the cluster's set-up inside it failed (NFS, Slurm, the tenant's files): a Warning listing what.</summary>
    SetupIncomplete,

    /// <summary>The cluster's window was extended (the old end and the new).</summary>
    Extended,

    /// <summary>The cluster's worker count was changed (the old count and the new).</summary>
    Resized,

    /// <summary>The workers a shrink released are removed from their hosts, and their capacity is free.</summary>
    NodesRemoved,

    /// <summary>A node's live migration was asked for (from which host to which, and by whom).</summary>
    Migrating,

    /// <summary>A node runs on its new host (what QEMU measured: the pause and the whole time).</summary>
    Migrated,

    /// <summary>A node's live migration failed: it runs on where it was (a Warning with why).</summary>
    MigrationFailed,

    /// <summary>A future reservation was moved off a host being drained: where its nodes (volume, gateway) go now.</summary>
    Replanned,

    /// <summary>A future reservation stays on a host being drained (a Warning with why: no room elsewhere for its window).</summary>
    NotReplanned,

    /// <summary>A node phoned home with another SSH host key than the one vcm made for it: a Warning; the given key stays pinned.</summary>
    HostKeyMismatch,

    /// <summary>A host holding some of the cluster was lost (fenced or declared dead): what is rebuilt where, a Warning.</summary>
    HostLost,

    /// <summary>A piece of the cluster on a lost host has no other host to go to yet: a Warning with why; it is tried again.</summary>
    RehomeWaiting,
}
