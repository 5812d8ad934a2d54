namespace Vcm.Api;

/// <summary>A one-time token with which another site's manager may register this site as its peer.</summary>
public sealed record PeerTokenView(string Token, DateTimeOffset ExpiresAt, string Site, string Url);
