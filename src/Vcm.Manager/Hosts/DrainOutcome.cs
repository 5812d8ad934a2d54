using Vcm.Api;

namespace Vcm.Manager.Hosts;

/// <summary>What became of a drain or an undrain.</summary>
public abstract record DrainOutcome
{
    /// <summary>The host drains (or was draining already): its progress and what became of its future reservations.</summary>
    public sealed record Draining(DrainView View) : DrainOutcome;

    /// <summary>The host is ready again.</summary>
    public sealed record Undrained(Store.Records.HostRecord Host) : DrainOutcome;

    /// <summary>This site has no host of that name.</summary>
    public sealed record NotFound(string Name) : DrainOutcome;

    /// <summary>The host's state does not allow it (down), or it changed meanwhile; nothing changed.</summary>
    public sealed record Refused(string Reason) : DrainOutcome;
}
