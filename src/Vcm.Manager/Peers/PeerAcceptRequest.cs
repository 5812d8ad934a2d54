namespace Vcm.Manager.Peers;

/// <summary>
/// Site <see cref="Site"/>, whose manager answers at <see cref="Url"/>, asks to become a peer with a peer token this
/// site made, and gives the key it will present on every call here and its CA certificate (PEM), which issues the
/// certificate its managers present over HTTPS.
/// </summary>
public sealed record PeerAcceptRequest(string Token, string Site, string Url, string Key, string? Ca = null);
