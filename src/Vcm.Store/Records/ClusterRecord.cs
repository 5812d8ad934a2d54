using Vcm.Domain.Clusters;
using Vcm.Domain.Packages;

namespace Vcm.Store.Records;

/// <summary>A cluster: its spec (JSON, written by users), its status (written by controllers) and controller bookkeeping.</summary>
public sealed class ClusterRecord
{
    public required string Id { get; set; }

    public required string Name { get; set; }

    /// <summary>The name while the cluster is live, null once final, so that names can be used again.</summary>
    public string? ActiveName { get; set; }

    public required string SiteId { get; set; }

    /// <summary>The tenant that owns it; null for the provider's own clusters (and those made before tenants).</summary>
    public string? TenantId { get; set; }

    /// <summary>The user who created it (its id); null for clusters made before users, or parts made for a peer.</summary>
    public string? CreatedBy { get; set; }

    /// <summary>What was asked for (the spec column, as JSON).</summary>
    public required ClusterSpec Spec { get; set; }

    public required ClusterPhase Phase { get; set; }

    public string? Reason { get; set; }

    /// <summary>What its nodes boot from, chosen when its build starts: the image asked for, or the layer of the site's image store that adds its packages to it.</summary>
    public string? Layer { get; set; }

    /// <summary>The estimated time to Ready of the way chosen for its packages (at create, again when its build starts); null without packages.</summary>
    public ReadyEstimate? Estimate { get; set; }

    public long StartMs { get; set; }

    public long EndMs { get; set; }

    /// <summary>How many times its window was extended (the site's maximum extensions counts these).</summary>
    public int Extensions { get; set; }

    public long CreatedMs { get; set; }

    public long UpdatedMs { get; set; }

    public long? DeletionRequestedMs { get; set; }

    public long Generation { get; set; }

    public long ObservedGeneration { get; set; }

    public int NodesTotal { get; set; }

    public int NodesReady { get; set; }

    public required string Subnet { get; set; }

    public int? Vni { get; set; }

    /// <summary>The per-cluster admin key vcm keeps beside the tenant's (OpenSSH public line; PEM private key).</summary>
    public string? AdminPublicKey { get; set; }

    public string? AdminPrivateKey { get; set; }

    /// <summary>The gateway's address on the site's external network (CIDR), and the same while held.</summary>
    public string? ExternalIp { get; set; }

    public string? ActiveExternalIp { get; set; }

    /// <summary>The VNI while the cluster may hold host resources, null after release (unique per site).</summary>
    public int? ActiveVni { get; set; }

    public string? GatewayHostId { get; set; }

    public string? StorageHostId { get; set; }

    /// <summary>Failed attempts in a row at the current phase's work, for backoff.</summary>
    public int Attempts { get; set; }

    /// <summary>Conditions that hold now besides the phase (the conditions column, as JSON); written only by its controller.</summary>
    public IReadOnlyList<ClusterCondition> Conditions { get; set; } = [];

    public long PhaseSinceMs { get; set; }

    public long? NextReconcileMs { get; set; }

    public string? LeaseOwner { get; set; }

    public long? LeaseExpiresMs { get; set; }

    public string? IdempotencyKey { get; set; }

    /// <summary>The SHA-256 (hex) of the canonical create request that came with <see cref="IdempotencyKey"/>; null where not kept.</summary>
    public string? IdempotencyHash { get; set; }

    /// <summary>For a part this site builds for another site's cluster: that site, the cluster's id there, the VPN's
    /// client end as the home gave it (JSON), and when the home last renewed it. Null for home clusters.</summary>
    public string? HomeSite { get; set; }

    public string? HomeClusterId { get; set; }

    public string? PartVpn { get; set; }

    /// <summary>For a part: the UDP port of its VPN's client end on this site's gateway host, while the part is live
    /// (unique per site; null once released).</summary>
    public int? VpnPort { get; set; }

    public long? RenewedMs { get; set; }

    /// <summary>The series it is an occurrence of; null for a cluster made on its own.</summary>
    public string? SeriesId { get; set; }

    public long Version { get; set; }
}
