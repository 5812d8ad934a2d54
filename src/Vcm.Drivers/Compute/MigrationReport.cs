namespace Vcm.Drivers.Compute;

/// <summary>
/// How a live migration ended, with what QEMU measured: the whole time, the time the VM was paused
/// (<see cref="DowntimeMs"/>), the setup time, the memory and the disk bytes sent. <see cref="Error"/> says why a
/// failed one failed.
/// </summary>
public sealed record MigrationReport(
    MigrationOutcome Outcome,
    long TotalMs,
    long DowntimeMs,
    long SetupMs,
    long MemoryBytes,
    long DiskBytes,
    string? Error = null);
