using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Domain.Packages;
using Vcm.Manager.Configuration;
using Vcm.Manager.Images;
using Vcm.Manager.Tests.Api;
using Vcm.Store.Records;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Images;

/// <summary>
/// Package sets on a manual clock (controllers and the cache-image loop off; tests drive them): requests recorded at
/// create, the estimate in the create response, each build's estimate and actual in its events and history, cache
/// images made from the request history and chosen when they hold a set, image fetches measured.
/// </summary>
public sealed class CostModelTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new();
    private TestSite _site = null!;

    public async Task InitializeAsync() => _site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 3, clock: _clock);

    public async Task DisposeAsync() => await _site.DisposeAsync();

    private CacheImages CacheImages => _site.Manager.App.Services.GetRequiredService<CacheImages>();

    [Fact]
    public async Task Create_WithPackages_ShowsTheEstimate_RecordsTheRequest_AndTheOpenApiDocumentDescribesIt()
    {
        var response = await Requests.PostClusterAsync(_site.Client.Http, new { name = "p1", workers = 2, image = "debian-12", packages = new[] { "make", "gcc" } });
        var plain = await _site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "plain", Workers = 1 }, CancellationToken.None);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<ClusterView>(ApiJson.Options))!;
        var estimate = Assert.IsType<EstimateView>(created.Estimate);
        Assert.Equal(nameof(ReadyWay.BaseInstall), estimate.Way); // 2 packages: installing at boot (≈ 15 s) beats a first build (≈ 31 s)
        Assert.Equal(14.8, estimate.Seconds);
        Assert.Contains("install 2 packages at boot", estimate.Why, StringComparison.Ordinal);
        Assert.Contains("next best BuildLayer", estimate.Why, StringComparison.Ordinal);
        Assert.StartsWith("build layer debian-12.pk-", estimate.Considered.Single(w => w.Way == nameof(ReadyWay.BuildLayer)).Why, StringComparison.Ordinal);
        Assert.Equal([nameof(ReadyWay.BaseInstall), nameof(ReadyWay.BuildLayer)], estimate.Considered.Select(w => w.Way));
        Assert.Null(plain.Estimate);
        Assert.Equal(["gcc,make|debian-12", "|micro"], await QueryAsync<string>("SELECT packages || '|' || image FROM package_requests ORDER BY image"));
        Assert.Equal(estimate.Way, (await _site.Client.GetClusterAsync("p1", nodes: false, CancellationToken.None)).Estimate?.Way);

        using var openApi = JsonDocument.Parse(await _site.Anonymous.GetStringAsync("/openapi/v1.json"));
        var schemas = openApi.RootElement.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.GetProperty("ClusterView").GetProperty("properties").TryGetProperty("estimate", out _));
        var view = schemas.GetProperty("EstimateView").GetProperty("properties");
        Assert.All(new[] { "way", "seconds", "why", "considered" }, p => Assert.True(view.TryGetProperty(p, out _), p));
    }

    [Fact]
    public async Task InstallBoot_NodesBootTheImage_NoLayerBuilt_TheEventSaysTheWay()
    {
        var cluster = await CreateAsync("i1", "boot", "gcc", "make");
        Assert.Equal(nameof(ReadyWay.BaseInstall), cluster.Estimate!.Way);
        Assert.All(cluster.Estimate.Considered, w => Assert.Contains(w.Way, new[] { nameof(ReadyWay.BaseInstall), nameof(ReadyWay.CacheImagePlusInstall) }));
        await RunUntilReadyAsync(cluster);

        var events = await _site.Client.ListEventsAsync("i1", CancellationToken.None);
        Assert.Contains(events, e => e.Reason == "InstallAtBoot" && e.Message.StartsWith("nodes boot debian-12 and install gcc, make at boot", StringComparison.Ordinal)
            && e.Message.Contains("--install boot", StringComparison.Ordinal));
        Assert.DoesNotContain(events, e => e.Reason is "LayerBuilding" or "LayerReady");
        Assert.Empty(await QueryAsync<(long Packages, long? EstimatedMs)>("SELECT CAST(packages AS BIGINT), estimated_ms FROM layer_builds"));
    }

    [Fact]
    public async Task LayerBuild_EstimateAndActualInItsEventsAndHistory_ThenTheNextCreateFindsTheLayerBuilt()
    {
        var first = await CreateAsync("b1", "layer", "gcc", "make");
        await RunUntilReadyAsync(first);

        var events = await _site.Client.ListEventsAsync("b1", CancellationToken.None);
        Assert.Contains(events, e => e.Reason == "LayerBuilding" && e.Message.Contains("estimated 21 s to build; BuildLayer", StringComparison.Ordinal));
        Assert.DoesNotContain(events, e => e.Reason == "InstallAtBoot");
        var ready = Assert.Single(events, e => e.Reason == "LayerReady");
        Assert.Matches(@"^layer debian-12\.pk-\w+ built in 0\.0 s \(estimated 20\.7 s, -100%\): 2 packages", ready.Message);
        var build = Assert.Single(await QueryAsync<(long Packages, long? EstimatedMs)>("SELECT CAST(packages AS BIGINT), estimated_ms FROM layer_builds"));
        Assert.Equal((2, 20_700), build);

        var second = await CreateAsync("b2", "layer", "make", "gcc");

        Assert.Equal(nameof(ReadyWay.LayerExact), second.Estimate!.Way);
        Assert.Equal(second.Estimate.Considered[0].Boots, ready.Message.Split(' ')[1]);
    }

    [Fact]
    public async Task CacheImage_FromFrequentRequests_ChosenForASetItHolds_RebuiltWhenTheSetChanges()
    {
        await RequestsAsync(16, "gcc", "htop", "make");
        await RequestsAsync(4, "vim");

        var cache = (await CacheImages.EnsureAsync("debian-12", CancellationToken.None))!;

        Assert.Equal((CacheImageState.Ready, "gcc,htop,make", 20), (cache.State, cache.Packages, cache.Requests));
        Assert.StartsWith("debian-12.pk-", cache.Layer, StringComparison.Ordinal);
        Assert.Equal(cache.Version, (await CacheImages.EnsureAsync("debian-12", CancellationToken.None))!.Version); // nothing changed, nothing written

        var cluster = await CreateAsync("c1", "auto", "make", "gcc");
        Assert.Equal(nameof(ReadyWay.CacheImage), cluster.Estimate!.Way);
        Assert.Equal(cache.Layer, cluster.Estimate.Considered[0].Boots);
        await RunUntilReadyAsync(cluster);
        Assert.Equal([cache.Layer!], await QueryAsync<string>($"SELECT layer FROM clusters WHERE id = '{cluster.Id}'"));
        Assert.Contains(await _site.Client.ListEventsAsync("c1", CancellationToken.None),
            e => e.Reason == "LayerReady" && e.Message.StartsWith($"layer {cache.Layer} is the cache image of debian-12", StringComparison.Ordinal));

        await RequestsAsync(20, "gcc", "vim"); // 40 requests now: gcc in 36, vim in 24, htop and make in 16
        var rebuilt = (await CacheImages.EnsureAsync("debian-12", CancellationToken.None))!;

        Assert.Equal((CacheImageState.Ready, "gcc,htop,make,vim"), (rebuilt.State, rebuilt.Packages));
        Assert.NotEqual(cache.Layer, rebuilt.Layer);
    }

    [Fact]
    public async Task CacheImage_ManagerDiedMidBuild_TheNextPassBuildsIt_AnUnknownPackageFailsIt()
    {
        await RequestsAsync(15, "gcc");
        await AddAsync(new CacheImageRecord { Image = "debian-12", Packages = "gcc", State = CacheImageState.Building, Requests = 15, UpdatedMs = 0, Version = 1 });
        await AddAsync(new CacheImageRecord { Image = "micro", Packages = "busybox", State = CacheImageState.Building, Requests = 15, UpdatedMs = 0, Version = 1 });

        await CacheImages.RunOnceAsync(CancellationToken.None);

        var rows = await QueryAsync<(string Image, string State, string? Layer, string? Reason)>("SELECT image, state, layer, reason FROM cache_images ORDER BY image");
        Assert.Equal("ready", rows[0].State);
        Assert.StartsWith("debian-12.pk-", rows[0].Layer, StringComparison.Ordinal);
        Assert.Equal("ready", rows[1].State); // micro has no requests with packages: its set is empty now
        Assert.Null(rows[1].Layer);
    }

    [Fact]
    public async Task ImageFetch_ByAnAgent_Measured_ByTheAdmin_Not()
    {
        var images = _site.Manager.App.Services.GetRequiredService<ManagerOptions>().EffectiveImageDirectory;
        Directory.CreateDirectory(Path.Combine(images, "micro"));
        await File.WriteAllBytesAsync(Path.Combine(images, "micro", "base.qcow2"), new byte[2 << 20]);
        using var agent = _site.NewHttpClient();
        agent.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "in-process-key-0123456789");

        Assert.Equal(2 << 20, (await agent.GetByteArrayAsync("/api/v1/images/micro/files/base.qcow2")).Length);
        Assert.Equal(2 << 20, (await _site.Client.Http.GetByteArrayAsync("/api/v1/images/micro/files/base.qcow2")).Length);

        var fetches = await QueryAsync<(string AgentId, long Bytes)>("SELECT agent_id, bytes FROM image_fetches");
        Assert.Equal([("agent-in-process", 2L << 20)], fetches);
    }

    [Theory]
    [InlineData(0, 50, "--cache-percent 0")]
    [InlineData(101, 50, "--cache-percent 101")]
    [InlineData(30, 0, "--cache-window 0")]
    public void Options_CacheImageSettingsOutOfRange_NamedAtStart(int percent, int window, string named)
    {
        var options = new ManagerOptions { DataDirectory = "/tmp/x", CacheImages = new CacheImageOptions { MinPercent = percent, Window = window } };

        Assert.Contains(ManagerOptionsValidator.Validate(options), p => p.StartsWith(named, StringComparison.Ordinal));
        Assert.Contains(ManagerOptionsValidator.Validate(options with { CacheImages = new(), Costs = new CostDefaults { TransferMibPerSecond = 0 } }),
            p => p.Contains("TransferMibPerSecond", StringComparison.Ordinal));
    }

    private async Task<ClusterView> CreateAsync(string name, string install, params string[] packages) =>
        await _site.Client.CreateClusterAsync(new ClusterSpecInput { Name = name, Workers = 1, Image = "debian-12", Packages = [.. packages], Install = install }, CancellationToken.None);

    /// <summary>Reconciles until Ready; a layer build runs in the background, so a pass that waits for one is given real time too.</summary>
    private async Task RunUntilReadyAsync(ClusterView cluster)
    {
        for (var i = 0; i < 200; i++)
        {
            var result = await _site.Reconciler.ReconcileAsync(cluster.Id, CancellationToken.None);
            if ((await _site.Client.GetClusterAsync(cluster.Name, nodes: false, CancellationToken.None)).Phase == "Ready")
            {
                return;
            }

            if (result.RequeueAfter is { } after && after > TimeSpan.Zero && after < TimeSpan.FromMinutes(1))
            {
                _clock.Advance(after);
                await Task.Delay(5);
            }
        }

        throw new Xunit.Sdk.XunitException($"{cluster.Name} never became Ready");
    }

    private async Task RequestsAsync(int count, params string[] packages)
    {
        var at = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var rows = Enumerable.Range(0, count).Select(i => new PackageRequestRecord
        {
            ClusterId = Guid.NewGuid().ToString("N"), Image = "debian-12", Packages = string.Join(',', packages.Order(StringComparer.Ordinal)), AtMs = at,
        });
        await AddAsync([.. rows]);
        _clock.Advance(TimeSpan.FromSeconds(1));
    }

    private async Task AddAsync(params object[] records)
    {
        await using var db = _site.Database.CreateContext();
        db.AddRange(records);
        await db.SaveChangesAsync();
    }

    private async Task<List<T>> QueryAsync<T>(string sql)
    {
        await using var db = _site.Database.CreateContext();
        return (await db.Database.GetDbConnection().QueryAsync<T>(sql)).ToList();
    }
}
