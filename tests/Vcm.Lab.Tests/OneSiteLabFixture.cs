namespace Vcm.Lab.Tests;

/// <summary>
/// `vcm up --lab 1x3`: hosts a1, a2, a3 of one site, with two clusters the tests read: c1 (head + 3 workers spread
/// over the hosts, a 64 MiB shared volume) and c2 (head + 4 workers spread), both on <see cref="Subnet"/>.
/// </summary>
public sealed class OneSiteLabFixture : LabFixture
{
    public const string Subnet = "10.77.0.0/24";

    public OneSiteLabFixture()
        : base("1x3", ["a1", "a2", "a3"])
    {
    }

    /// <summary>
    /// A smaller c1 for a test that needs a cluster of its own: a node on every host (spread), a shared volume, on
    /// the subnet c1 and c2 use, so its release touches every kind of thing c1 has, next to c1 and c2.
    /// </summary>
    public static readonly string[] LikeC1 = ["--workers", "2", "--subnet", Subnet, "--policy", "spread", "--shared", "64M"];

    protected override async Task CreateSharedClustersAsync()
    {
        await CreateAsync("c1", "--workers", "3", "--subnet", Subnet, "--policy", "spread", "--shared", "64M");
        await CreateAsync("c2", "--workers", "4", "--subnet", Subnet, "--policy", "spread");
    }
}
