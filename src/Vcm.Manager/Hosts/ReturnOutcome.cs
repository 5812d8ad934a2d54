namespace Vcm.Manager.Hosts;

/// <summary>What asking to return a dead host to service came to.</summary>
public abstract record ReturnOutcome
{
    private ReturnOutcome()
    {
    }

    /// <summary>No host of this site has that name.</summary>
    public sealed record NotFound(string Host) : ReturnOutcome;

    /// <summary>It is not dead, its agent does not report, or it could not be wiped.</summary>
    public sealed record Refused(string Reason) : ReturnOutcome;

    /// <summary>The host is ready again; <see cref="Wiped"/>: something vcm had left on it was removed.</summary>
    public sealed record Returned(string Host, bool Wiped) : ReturnOutcome;
}
