namespace Vcm.Lab.Tests;

/// <summary>
/// `vcm up --lab 1x3` of its own (a test kills one of its hosts): hosts a1 (gateway and storage), a2, a3, and cluster
/// hl — a head and 3 workers spread over the three hosts.
/// </summary>
public sealed class HostLossLabFixture : LabFixture
{
    public const string Subnet = "10.78.0.0/24";

    public HostLossLabFixture()
        : base("1x3", ["a1", "a2", "a3"])
    {
    }

    protected override async Task CreateSharedClustersAsync() =>
        await CreateAsync("hl", "--workers", "3", "--subnet", Subnet, "--policy", "spread");
}
