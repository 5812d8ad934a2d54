namespace Vcm.Api;

/// <summary>
/// Registers the site <see cref="Name"/> whose manager answers at <see cref="Url"/>, with a peer token that site's
/// admin made (`vcm peer token` there). The two managers exchange keys; each then authenticates every call.
/// </summary>
public sealed record PeerAddRequest(string? Name, string? Url, string? Token);
