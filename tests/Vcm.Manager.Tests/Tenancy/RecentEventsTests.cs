using Vcm.Api;
using Xunit;

namespace Vcm.Manager.Tests.Tenancy;

/// <summary>GET /api/v1/events: the latest events of the clusters the caller sees, newest first.</summary>
public sealed class RecentEventsTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private TenancyWorld _world = null!;

    public async Task InitializeAsync() => _world = await TenancyWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task RecentEvents_ATenantSeesItsOwnClustersEvents_TheProviderAll_NewestFirst()
    {
        await _world.Site.WaitForPhaseAsync("ca", "Ready"); // no more events come of either
        await _world.Site.WaitForPhaseAsync("cb", "Ready");
        var ofA = await _world["a-reader"].ListRecentEventsAsync(null, Ct);
        var ofB = await _world["b-reader"].ListRecentEventsAsync(null, Ct);
        var all = await _world.Site.Client.ListRecentEventsAsync(null, Ct);

        Assert.NotEmpty(ofA);
        Assert.All(ofA, e => Assert.Equal("ca", e.Cluster));
        Assert.All(ofB, e => Assert.Equal("cb", e.Cluster));
        Assert.Equal(["ca", "cb"], all.Select(e => e.Cluster).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(all.Select(e => e.At).OrderDescending(), all.Select(e => e.At));
        var ownEvents = await _world["a-reader"].ListEventsAsync("ca", Ct);
        Assert.Equal(ownEvents.Select(e => (e.At, e.Reason, e.Message)).Reverse().Take(ofA.Count), ofA.Select(e => (e.At, e.Reason, e.Message)));
        Assert.Single(await _world.Site.Client.ListRecentEventsAsync(1, Ct));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task RecentEvents_ALimitOutOfRange_Is400NamingIt(int limit)
    {
        var refused = await Assert.ThrowsAsync<VcmApiException>(() => _world["a-reader"].ListRecentEventsAsync(limit, Ct));

        Assert.Equal(400, refused.Status);
        Assert.Equal(["limit"], refused.Problem.Errors!.Select(e => e.Field));
    }
}
