namespace Vcm.Store.Records;

public sealed class SiteRecord
{
    public required string Id { get; set; }

    public required string Name { get; set; }

    public string? Url { get; set; }

    public bool IsLocal { get; set; }

    public int VniFirst { get; set; }

    public int VniLast { get; set; }

    public long CalendarVersion { get; set; }

    /// <summary>The external network gateways NAT to: subnet (CIDR), router, bridge on gateway hosts; null: none.</summary>
    public string? ExternalSubnet { get; set; }

    public string? ExternalRouter { get; set; }

    public string? ExternalBridge { get; set; }

    /// <summary>In a lab: the namespace that is the external network (vcm ssh runs there).</summary>
    public string? ExternalNetns { get; set; }

    /// <summary>Where clusters' default subnets come from (a free /24 each), e.g. 10.0.0.0/8.</summary>
    public string? SubnetPool { get; set; }

    /// <summary>The longest window a reservation here may have (ms); null: no limit.</summary>
    public long? MaxLeaseMs { get; set; }

    /// <summary>How far ahead of now a reservation here may start (ms); null: no limit.</summary>
    public long? MaxAdvanceMs { get; set; }

    /// <summary>The most occurrences one series here may have; null: the default (SiteLimits.DefaultMaxOccurrences).</summary>
    public int? MaxOccurrences { get; set; }

    /// <summary>How many times one cluster here may be extended; null: no limit.</summary>
    public int? MaxExtensions { get; set; }

    public long Version { get; set; }
}
