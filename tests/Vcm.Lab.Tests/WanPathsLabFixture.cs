namespace Vcm.Lab.Tests;

/// <summary>
/// `vcm up --lab 2x2 --wan-paths 2 --wan 100M`: two sites whose gateway hosts a1 and b1 are joined by two WAN links
/// (wan0 172.16.0.1 ↔ .2 and wan0p2 172.16.1.1 ↔ .2, each shaped), with one cluster the test reads: w1, its head and
/// node-01 at site a and node-02 at site b, so the cluster's VPN ends have a tunnel on each path.
/// </summary>
public sealed class WanPathsLabFixture : LabFixture
{
    public const string Subnet = "10.79.0.0/24";

    public WanPathsLabFixture()
        : base("2x2", ["a1", "a2", "b1", "b2"], "--wan-paths", "2", "--wan", "100M")
    {
    }

    protected override async Task CreateSharedClustersAsync() =>
        await CreateAsync("w1", "--workers", "2", "--sites", "a:2,b:1", "--subnet", Subnet);
}
