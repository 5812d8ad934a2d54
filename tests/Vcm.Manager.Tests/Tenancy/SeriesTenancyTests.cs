using System.Globalization;
using Vcm.Api;
using Vcm.Domain.Series;
using Xunit;

namespace Vcm.Manager.Tests.Tenancy;

/// <summary>Series belong to a tenant as its clusters do: members create and delete their own, readers read, other tenants see nothing; quotas count every occurrence.</summary>
public sealed class SeriesTenancyTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private TenancyWorld _world = null!;

    public async Task InitializeAsync() => _world = await TenancyWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private static SeriesInput Weekly(string name, string duration = "2h", string rule = "FREQ=WEEKLY;COUNT=3") => new()
    {
        Name = name,
        Workers = 1,
        Start = DateTimeOffset.UtcNow.AddDays(10).ToString("yyyy-MM-ddTHH:00:00Z", CultureInfo.InvariantCulture),
        Duration = duration,
        Repeat = rule,
    };

    [Fact]
    public async Task ATenantSeesOnlyItsSeries_ReadersRead_OnlyTheCreatorOrATenantAdminDeletes()
    {
        await _world["a-member"].CreateSeriesAsync(Weekly("sa"), Ct);
        await _world["b-member"].CreateSeriesAsync(Weekly("sb"), Ct);

        Assert.Equal(["sa"], (await _world["a-reader"].ListSeriesAsync(Ct)).Select(s => s.Name));
        Assert.Equal(["sa", "sb"], (await _world.Site.Client.ListSeriesAsync(Ct)).Select(s => s.Name));
        Assert.Equal(404, (await Assert.ThrowsAsync<VcmApiException>(() => _world["b-tenant-admin"].GetSeriesAsync("sa", Ct))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<VcmApiException>(() => _world["b-tenant-admin"].DeleteSeriesAsync("sa", null, Ct))).Status);
        Assert.Equal(403, (await Assert.ThrowsAsync<VcmApiException>(() => _world["a-reader"].CreateSeriesAsync(Weekly("sr"), Ct))).Status);
        Assert.Equal(403, (await Assert.ThrowsAsync<VcmApiException>(() => _world["a-member2"].DeleteSeriesAsync("sa", null, Ct))).Status);
        Assert.Equal(3, (await _world["a-reader"].GetSeriesAsync("sa", Ct)).Live);

        await _world["a-tenant-admin"].DeleteSeriesAsync("sa", null, Ct);

        Assert.Empty(await _world["a-reader"].ListSeriesAsync(Ct));
    }

    [Fact]
    public async Task TheTenantsQuota_CountsTheEarlierOccurrences_TheOneOverItIsRefusedWithWhy()
    {
        await _world.Site.Client.SetQuotaAsync("a", "nodes=3", Ct);

        // daily for 30 hours: each occurrence (2 nodes) overlaps the next, so two together hold 4
        var refused = await Assert.ThrowsAsync<VcmApiException>(() => _world["a-member"].CreateSeriesAsync(Weekly("sq", "30h", "FREQ=DAILY;COUNT=2"), Ct));

        Assert.Equal(409, refused.Status);
        var second = Assert.Single(refused.Problem.Refused!);
        Assert.Equal("sq-" + DateTimeOffset.UtcNow.AddDays(11).ToString("yyyyMMdd", CultureInfo.InvariantCulture), second.Cluster);
        Assert.Contains("over tenant a's quota", second.Reason, StringComparison.Ordinal);
    }
}
