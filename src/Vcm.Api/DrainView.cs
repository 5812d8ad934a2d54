namespace Vcm.Api;

/// <summary>The answer to a drain: the host's state and progress, and what became of the future reservations it held.</summary>
public sealed record DrainView(string Host, string State, HostDrainView Progress, IReadOnlyList<ReplanView> Reservations);
