namespace Vcm.Api;

/// <summary>Moves a running node to another host of the cluster's site: <see cref="To"/> is the host's name.</summary>
public sealed record MigrateRequest(string? To);
