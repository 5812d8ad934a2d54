using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Api;

/// <summary>POST /api/v1/clusters?dryRun=true: the checks of a create, nothing stored (controllers off, a manual clock).</summary>
public sealed class DryRunTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly ManualClock _clock = new();
    private TestSite _site = null!;

    public async Task InitializeAsync() => _site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 2, clock: _clock);

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task DryRun_ARequestThatFits_200FitsWithItsWindow_AndNothingIsStored()
    {
        var before = await DbSnapshot.TakeAsync(_site.Database);

        var answer = await _site.Client.DryRunClusterAsync(new ClusterSpecInput { Name = "try", Workers = 1, Duration = "2h" }, Ct);

        Assert.True(answer.Fits);
        Assert.Equal(_clock.GetUtcNow(), answer.Start);
        Assert.Equal(_clock.GetUtcNow().AddHours(2), answer.End);
        Assert.Null(answer.Reason);
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));
        Assert.Equal("try", (await _site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "try", Workers = 1, Duration = "2h" }, Ct)).Name); // and the create after it is admitted
    }

    [Fact]
    public async Task DryRun_BadRequest_400ListsEveryProblem_ATakenNameAmongThem_NothingStored()
    {
        await _site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "taken", Workers = 1 }, Ct);
        var before = await DbSnapshot.TakeAsync(_site.Database);

        var bad = await Assert.ThrowsAsync<VcmApiException>(() => _site.Client.DryRunClusterAsync(new ClusterSpecInput { Name = "taken", Workers = 1, Memory = "lots" }, Ct));
        var taken = await Assert.ThrowsAsync<VcmApiException>(() => _site.Client.DryRunClusterAsync(new ClusterSpecInput { Name = "taken", Workers = 1 }, Ct));

        Assert.Equal((400, 400), (bad.Status, taken.Status));
        Assert.Equal(["memory", "name"], bad.Problem!.Errors!.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Equal(["name"], taken.Problem!.Errors!.Select(e => e.Field));
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));
    }

    [Fact]
    public async Task DryRun_ARequestThatDoesNotFit_200NotFits_WithTheReasonAndTheEarliestStart()
    {
        var hosts = await _site.Client.ListHostsAsync(Ct);
        var cpus = hosts.Min(h => h.Capacity.Cpus);
        await _site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "big", Workers = hosts.Count - 1, Cpus = cpus, Duration = "3h" }, Ct);
        var before = await DbSnapshot.TakeAsync(_site.Database);

        var answer = await _site.Client.DryRunClusterAsync(new ClusterSpecInput { Name = "later", Workers = 1, Cpus = cpus, Duration = "1h" }, Ct);

        Assert.False(answer.Fits);
        Assert.False(string.IsNullOrEmpty(answer.Reason));
        Assert.Equal(_clock.GetUtcNow().AddHours(3), answer.Earliest);
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));
    }
}
