namespace Vcm.Drivers.Processes;

/// <summary>What a running process uses: CPU seconds since it started (all its threads, user and system) and resident memory.</summary>
public readonly record struct ProcessUsage(double CpuSeconds, long ResidentBytes)
{
    /// <summary>The usage of PID, or null when there is no such process (or it has exited).</summary>
    public static ProcessUsage? Of(int pid) =>
        ProcessStat.Read(pid) is { Exited: false } stat
            ? new ProcessUsage(stat.CpuTicks / ProcessStat.TicksPerSecond, stat.RssPages * Environment.SystemPageSize)
            : null;
}
