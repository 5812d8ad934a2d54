namespace Vcm.Manager.Peers;

/// <summary>This site's name and the key it will present on every call to the new peer.</summary>
public sealed record PeerAcceptResponse(string Site, string Key);
