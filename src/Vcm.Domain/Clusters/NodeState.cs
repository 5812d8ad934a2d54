namespace Vcm.Domain.Clusters;

/// <summary>What was last seen of one node. Stored and shown in lower case ("pending", "ready" …).</summary>
public enum NodeState
{
    /// <summary>Admitted; nothing of it built yet.</summary>
    Pending,

    /// <summary>Its VM runs; it has not phoned home since the VM's last (re)start.</summary>
    Booting,

    /// <summary>It phoned home after its VM's last (re)start.</summary>
    Ready,

    /// <summary>Its VM exists but does not run.</summary>
    Stopped,

    /// <summary>Its VM is gone from its host.</summary>
    Missing,

    /// <summary>Its VM could not be made.</summary>
    Failed,

    /// <summary>Everything of it is removed.</summary>
    Released,

    /// <summary>A shrink released it: its VM and host objects are being removed, then its row and capacity go.</summary>
    Removing,
}
