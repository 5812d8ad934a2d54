namespace Vcm.Drivers.Compute;

public enum VmState
{
    /// <summary>Its process runs.</summary>
    Running,

    /// <summary>It exists on the host but does not run (it stopped or died).</summary>
    Stopped,

    /// <summary>
    /// The receiving end of a live migration (<see cref="IComputeDriver.PrepareIncomingAsync"/>): its process runs,
    /// the guest does not yet. Never started again by an ensure: only a completed migration makes it run.
    /// </summary>
    Incoming,

    /// <summary>Its state went to another host by a completed live migration; its process is paused, to be deleted.</summary>
    Migrated,
}
