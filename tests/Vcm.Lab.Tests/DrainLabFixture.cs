namespace Vcm.Lab.Tests;

/// <summary>
/// `vcm up --lab 1x3` with no shared cluster: a drain moves every node off a host, so its test has the lab to itself
/// (hosts a1 — also the gateway and storage host — a2, a3).
/// </summary>
public sealed class DrainLabFixture : LabFixture
{
    public DrainLabFixture()
        : base("1x3", ["a1", "a2", "a3"])
    {
    }

    protected override Task CreateSharedClustersAsync() => Task.CompletedTask;
}
