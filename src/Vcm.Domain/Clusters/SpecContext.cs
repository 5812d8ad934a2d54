using Vcm.Domain.Networking;

namespace Vcm.Domain.Clusters;

/// <summary>
/// What validation needs to know of the world: the time, the images and sites that exist, and for a cluster
/// that names no subnet, the site's pool and the subnets live clusters use (the default is the first free block).
/// </summary>
public sealed record SpecContext(DateTimeOffset Now, IReadOnlySet<string> Images, IReadOnlySet<string> Sites)
{
    public Ipv4Subnet SubnetPool { get; init; } = Ipv4Subnet.DefaultPool;

    public IReadOnlyCollection<Ipv4Subnet> UsedSubnets { get; init; } = [];

    /// <summary>The site's limits on reservations (the provider's), checked with the window.</summary>
    public SiteLimits Limits { get; init; } = SiteLimits.None;
}
