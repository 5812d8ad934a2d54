namespace Vcm.Store.Records;

/// <summary>Another site's manager this site federates with.</summary>
public sealed class PeerRecord
{
    public required string Id { get; set; }

    /// <summary>The peer's site name.</summary>
    public required string Name { get; set; }

    public required string Url { get; set; }

    /// <summary>The key this site presents when it calls the peer.</summary>
    public required string OurKey { get; set; }

    /// <summary>SHA-256 of the key the peer presents when it calls this site.</summary>
    public required string TheirKeyHash { get; set; }

    /// <summary>The peer site's CA certificate (PEM), pinned at peering; its managers must present certificates it issued.</summary>
    public string? CaCertificate { get; set; }

    public long AddedMs { get; set; }

    public long Version { get; set; }
}
