namespace Vcm.Cli.Infrastructure;

/// <summary>The CLI's exit codes, in one place.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int NotFound = 3;
    /// <summary>Not enough capacity for the request's window (409 from admission).</summary>
    public const int Refused = 4;
    public const int Unreachable = 5;
    public const int Unauthorized = 6;

    /// <summary>--wait ended with the cluster in a phase other than the one waited for.</summary>
    public const int WaitFailed = 7;

    /// <summary>A 409 other than capacity: the name is taken, or the resource is in use.</summary>
    public const int Conflict = 8;

    public const int Interrupted = 130;
}
