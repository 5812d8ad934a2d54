namespace Vcm.Drivers.Network;

/// <summary>
/// One end of a cluster's Ethernet VPN between two sites' gateway hosts: an OpenVPN tap tunnel (TLS with keys made
/// for this cluster) whose tap joins the cluster's bridge, so the cluster's segment spans both sites. Only that
/// cluster's frames cross it. The server end listens on <see cref="Local"/>:<see cref="Port"/>; the client end
/// connects from <see cref="Local"/> to <see cref="Remote"/>:<see cref="Port"/>.
/// </summary>
public sealed record VpnSpec
{
    /// <summary>The tunnel's identity on the host (vc-TAG-vpn).</summary>
    public required string Name { get; init; }

    /// <summary>The cluster bridge the tap joins.</summary>
    public required string Bridge { get; init; }

    public required bool Server { get; init; }

    /// <summary>This host's address on the WAN between the sites.</summary>
    public required string Local { get; init; }

    /// <summary>The other end's WAN address.</summary>
    public required string Remote { get; init; }

    /// <summary>The UDP port this end uses on <see cref="Local"/>.</summary>
    public required int Port { get; init; }

    /// <summary>The other end's UDP port.</summary>
    public required int RemotePort { get; init; }

    /// <summary>The cluster's VPN CA certificate, this end's certificate and private key (PEM).</summary>
    public required string CaCertificate { get; init; }

    public required string Certificate { get; init; }

    public required string PrivateKey { get; init; }

    /// <summary>The OpenVPN tls-crypt key shared by both ends ("OpenVPN Static key V1").</summary>
    public required string TlsCryptKey { get; init; }

    /// <summary>A rate limit for what this end sends into the tunnel, in Mbit/s; null for none.</summary>
    public int? RateMbit { get; init; }

    public int Mtu { get; init; } = 1500;

    /// <summary>
    /// Standby WAN paths (path 2 onward; path 1 is <see cref="Local"/> ↔ <see cref="Remote"/>): a tunnel is kept up on
    /// each, on the same ports, and exactly one of them is bridged at a time. Empty: one path, as ever.
    /// </summary>
    public IReadOnlyList<VpnPath> AlternatePaths { get; init; } = [];

    /// <summary>Every path, path 1 first.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<VpnPath> Paths => [new VpnPath(Local, Remote), .. AlternatePaths];
}
