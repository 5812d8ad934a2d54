namespace Vcm.Manager.Federation;

/// <summary>The client end of a part's VPN: the home gateway host's WAN address and port, and the client's keys (PEM).</summary>
public sealed record PartVpn(
    string ServerAddress,
    int ServerPort,
    string CaCertificate,
    string Certificate,
    string PrivateKey,
    string TlsCryptKey,
    int? RateMbit);
