namespace Vcm.Drivers.Compute;

public enum VmState
{
    /// <summary>Its process runs.</summary>
    Running,

    /// <summary>It exists on the host but does not run (it stopped or died).</summary>
    Stopped,
}
