using System.Net;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Tenancy;

/// <summary>Watches see only the caller's tenant's clusters.</summary>
public sealed class WatchTenancyTests : IAsyncLifetime
{
    private TenancyWorld _world = null!;

    public async Task InitializeAsync() => _world = await TenancyWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task WatchOfAnotherTenantsCluster_Is404_AndWatchAllShowsOnlyTheTenantsOwn()
    {
        var (refused, status) = await EventStream.OpenAsync(_world["b-member"].Http, "/api/v1/clusters/ca/watch");
        Assert.Null(refused);
        Assert.Equal(HttpStatusCode.NotFound, status);

        var (stream, _) = await EventStream.OpenAsync(_world["b-reader"].Http, "/api/v1/watch");
        await using var watch = stream!;
        await _world["a-member"].DeleteClusterAsync("ca", CancellationToken.None); // a's change first: b must not hear of it
        await _world["b-member"].DeleteClusterAsync("cb", CancellationToken.None);

        var seen = await watch.UntilAsync((type, data) => type == "cluster" && data.GetProperty("name").GetString() == "cb");
        Assert.All(seen, m => Assert.Equal("cb", m.Data.GetProperty("name").GetString()));
        await _world.Site.WaitForPhaseAsync("ca", "Released");
        var gone = await watch.UntilAsync((type, _) => type == "gone");
        Assert.All(gone, m => Assert.Equal("cb", m.Data.GetProperty("name").GetString()));
    }
}
