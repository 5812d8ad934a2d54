namespace Vcm.Agent.Linux.Compute;

/// <summary>Tunables of <see cref="QemuComputeDriver"/>; the defaults suit a real host.</summary>
public sealed record QemuComputeOptions
{
    public string QemuBinary { get; init; } = "qemu-system-x86_64";

    /// <summary>How long a new QEMU may take until its QMP monitor answers that the VM runs.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a deleted VM's guest gets to power off after an ACPI power-button press, before QMP quit.</summary>
    public TimeSpan PowerdownGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long QEMU gets to exit after quit and after SIGTERM, before SIGKILL.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(3);
}
