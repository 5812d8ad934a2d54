using System.Net;
using Dapper;
using Microsoft.EntityFrameworkCore;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Vcm.Domain.Clusters;
using Vcm.Manager.Configuration;
using Vcm.Manager.Watch;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Watch;

/// <summary>
/// Server push: GET …/clusters/{name}/watch and GET /api/v1/watch, on a manager whose controllers are off (a manual
/// clock), so each change is one the test makes.
/// </summary>
public sealed class WatchTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly ManualClock _clock = new();
    private TestSite _site = null!;

    // No re-check in a test's time: every change must reach the watchers by its writer's signal.
    public async Task InitializeAsync() => _site = await TestSite.StartAsync(
        TestDatabase.FromEnvironment(), hosts: 3, clock: _clock, controllers: new ControllerOptions { Enabled = false, WatchRecheck = TimeSpan.FromHours(1) });

    public async Task DisposeAsync() => await _site.DisposeAsync();

    private ClusterFeed Feed => _site.Manager.App.Services.GetRequiredService<ClusterFeed>();

    [Fact]
    public async Task WatchCluster_FirstView_ThenAPhaseChange_ThenItsEvent_InOrder_ThenGone()
    {
        var created = await _site.Client.CreateClusterAsync(
            new ClusterSpecInput { Name = "w", Workers = 1, Start = _clock.GetUtcNow().AddDays(1).ToString("O") }, Ct);
        var (stream, status) = await EventStream.OpenAsync(_site.Client.Http, "/api/v1/clusters/w/watch");
        Assert.Equal(HttpStatusCode.OK, status);
        await using var watch = stream!;

        var first = await watch.NextAsync();
        Assert.Equal("cluster", first!.Value.Event);
        Assert.Equal(("w", "Scheduled"), (first.Value.Data.GetProperty("name").GetString(), Phase(first.Value.Data)));
        Assert.Equal(2, first.Value.Data.GetProperty("nodes").GetArrayLength());

        await _site.Client.DeleteClusterAsync("w", Ct);
        await _site.Reconciler.ReconcileAsync(created.Id, Ct); // a deleted cluster that never started: → Releasing, with an event
        var releasing = await watch.UntilAsync((type, data) => type == "cluster" && Phase(data) == "Releasing");
        Assert.DoesNotContain(releasing, m => m.Event == "event"); // the deletion wrote no event before the phase changed
        var afterPhase = await watch.NextAsync();
        Assert.Equal("event", afterPhase!.Value.Event);
        Assert.Equal("Releasing", afterPhase.Value.Data.GetProperty("reason").GetString());

        await _site.ReconcileUntilAsync(_clock, created.Id, "w", "Released");
        var rest = await watch.UntilAsync((type, _) => type == "gone");
        Assert.Contains(rest, m => m.Event == "cluster" && Phase(m.Data) == "Released");
        Assert.Equal("w", rest[^1].Data.GetProperty("name").GetString());
        Assert.Null(await watch.NextAsync()); // the server ended the stream
    }

    [Fact]
    public async Task WatchCluster_UnknownCluster_Is404ProblemAndNothingSubscribes()
    {
        var (stream, status) = await EventStream.OpenAsync(_site.Client.Http, "/api/v1/clusters/nope/watch");

        Assert.Null(stream);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(0, Feed.Subscribers);
    }

    [Fact]
    public async Task Disconnecting_FreesTheSubscription()
    {
        await _site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "d", Workers = 1 }, Ct);
        var (one, _) = await EventStream.OpenAsync(_site.Client.Http, "/api/v1/clusters/d/watch");
        var (all, _) = await EventStream.OpenAsync(_site.Client.Http, "/api/v1/watch");
        Assert.NotNull(await one!.NextAsync());
        Assert.Equal(2, Feed.Subscribers);

        await one.DisposeAsync();
        await all!.DisposeAsync();

        await WaitUntilAsync(() => Feed.Subscribers == 0, "both subscriptions are freed once their clients went");
    }

    [Fact]
    public async Task WatchAll_SendsEachChangedListItem_AndGoneWhenReleased()
    {
        var (stream, _) = await EventStream.OpenAsync(_site.Client.Http, "/api/v1/watch");
        await using var watch = stream!;

        var created = await _site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "n", Workers = 1, Start = _clock.GetUtcNow().AddDays(1).ToString("O") }, Ct);
        var added = await watch.NextAsync();
        Assert.Equal("cluster", added!.Value.Event);
        Assert.Equal(("n", "Scheduled"), (added.Value.Data.GetProperty("name").GetString(), Phase(added.Value.Data)));
        Assert.False(added.Value.Data.TryGetProperty("nodes", out _)); // the list item, as GET /api/v1/clusters

        await _site.Client.DeleteClusterAsync("n", Ct);
        await _site.ReconcileUntilAsync(_clock, created.Id, "n", "Released");
        var rest = await watch.UntilAsync((type, _) => type == "gone");
        Assert.Equal("n", rest[^1].Data.GetProperty("name").GetString());
        Assert.All(rest.SkipLast(1), m => Assert.Equal("n", m.Data.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task AChangeNoWriterSignalled_AnotherManagersWrite_IsSeenByTheRecheck()
    {
        await using var site = await TestSite.StartAsync(
            TestDatabase.FromEnvironment(), hosts: 1, clock: new ManualClock(), controllers: new ControllerOptions { Enabled = false, WatchRecheck = TimeSpan.FromMilliseconds(100) });
        await site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "o", Workers = 1 }, Ct);
        var (stream, _) = await EventStream.OpenAsync(site.Client.Http, "/api/v1/clusters/o/watch");
        await using var watch = stream!;
        Assert.Equal("cluster", (await watch.NextAsync())!.Value.Event);

        await using (var db = site.Database.CreateContext()) // as another manager would: not through this one's writers
        {
            await db.Database.GetDbConnection().ExecuteAsync("UPDATE clusters SET reason = 'changed elsewhere', version = version + 1 WHERE name = 'o'");
        }

        var changed = await watch.UntilAsync((type, data) => type == "cluster" && data.TryGetProperty("reason", out var r) && r.GetString() == "changed elsewhere");
        Assert.Single(changed);
    }

    private static string? Phase(JsonElement view) => view.GetProperty("phase").GetString();

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + EventStream.Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not so within {EventStream.Patience.TotalSeconds} s: {what}");
            }

            await Task.Delay(20);
        }
    }
}
