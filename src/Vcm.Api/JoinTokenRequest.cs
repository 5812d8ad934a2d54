namespace Vcm.Api;

/// <summary>Makes a join token: <see cref="Expires"/> like 2h (default 24h, at most 30d), <see cref="Name"/> what it is for.</summary>
public sealed record JoinTokenRequest(string? Name, string? Expires);
