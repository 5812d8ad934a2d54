namespace Vcm.Api;

/// <summary>
/// A token with which an agent on a new host joins the site: <see cref="Token"/> (the secret and the site CA's
/// fingerprint) and <see cref="JoinUrl"/> only in the answer that made it; it is kept as a hash only. Reusable until it
/// expires or is revoked.
/// </summary>
public sealed record JoinTokenView(string Id, string? Name, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string? Token = null, string? JoinUrl = null);
