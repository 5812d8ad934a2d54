namespace Vcm.Manager.Hosts;

/// <summary>What asking to declare a host dead came to.</summary>
public abstract record DeclareOutcome
{
    private DeclareOutcome()
    {
    }

    /// <summary>No host of this site has that name.</summary>
    public sealed record NotFound(string Host) : DeclareOutcome;

    /// <summary>The host's agent still reports: declaring it dead could leave two copies of its nodes running.</summary>
    public sealed record Refused(string Reason) : DeclareOutcome;

    /// <summary>The host is dead; what it held was rebuilt elsewhere, or waits for room.</summary>
    public sealed record Declared(RecoveryReport Report) : DeclareOutcome;
}
