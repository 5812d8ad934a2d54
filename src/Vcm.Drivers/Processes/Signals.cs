using System.Runtime.InteropServices;

namespace Vcm.Drivers.Processes;

/// <summary>POSIX signals by PID.</summary>
public static partial class Signals
{
    public const int SigTerm = 15;
    public const int SigKill = 9;
    public const int SigHup = 1;
    public const int SigStop = 19;
    public const int SigCont = 18;

    public static bool Terminate(int pid) => Kill(pid, SigTerm) == 0;

    public static bool ForceKill(int pid) => Kill(pid, SigKill) == 0;

    /// <summary>SIGHUP: daemons such as dnsmasq re-read their files.</summary>
    public static bool Hangup(int pid) => Kill(pid, SigHup) == 0;

    public static bool IsAlive(int pid) => Kill(pid, 0) == 0;

    /// <summary>SIGSTOP / SIGCONT: freezes a process (it keeps its sockets but answers nothing) and thaws it.</summary>
    public static bool Stop(int pid) => Kill(pid, SigStop) == 0;

    public static bool Continue(int pid) => Kill(pid, SigCont) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
