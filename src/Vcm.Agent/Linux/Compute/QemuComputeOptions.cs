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

    /// <summary>The longest pause of the guest a migration may plan for at its switch-over (QEMU's downtime-limit).</summary>
    public TimeSpan MigrationDowntimeLimit { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The most bytes a second a migration may send (QEMU's max-bandwidth; its default of 32 MiB/s is for WANs).</summary>
    public long MigrationBandwidth { get; init; } = 1L << 30;

    /// <summary>How long a migration's disk copy may take until it is in sync, and its memory copy until it completes.</summary>
    public TimeSpan MigrationTimeout { get; init; } = TimeSpan.FromMinutes(30);
}
