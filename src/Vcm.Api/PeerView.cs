namespace Vcm.Api;

/// <summary>Another site's manager this site federates with.</summary>
public sealed record PeerView(string Name, string Url, DateTimeOffset AddedAt);
