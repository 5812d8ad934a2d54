namespace Vcm.Drivers.Network;

/// <summary>
/// A cluster's gateway on a gateway host: attached to the cluster's bridge at <see cref="Address"/>, serving
/// DHCP (fixed MAC→IP), DNS for the nodes' names, NAT to the site's external network, and the metadata service.
/// </summary>
public sealed record GatewaySpec
{
    public required string Name { get; init; }

    public required string Bridge { get; init; }

    /// <summary>The cluster's subnet in CIDR form.</summary>
    public required string Subnet { get; init; }

    public required string Address { get; init; }

    /// <summary>The DNS domain of the nodes: the cluster's name.</summary>
    public required string Domain { get; init; }

    public IReadOnlyList<GatewayNode> Nodes { get; init; } = [];

    /// <summary>What the nodes set up among themselves (NFS, SSH between them, Slurm, the tenant's files).</summary>
    public GatewaySetup Setup { get; init; } = new();

    public bool Nat { get; init; } = true;

    /// <summary>Where the gateway meets the site's external network (NAT out, SSH ports in); null: no external side.</summary>
    public ExternalAttachment? External { get; init; }

    /// <summary>MTU the nodes should use (DHCP option 26); 1500 unless the underlay is smaller.</summary>
    public int Mtu { get; init; } = 1500;
}
