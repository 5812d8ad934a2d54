using Dapper;
using Microsoft.EntityFrameworkCore;
using Vcm.Agent.Sim;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Manager.Controllers;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Controllers;

/// <summary>The cluster reconciler driven step by step on a manual clock (the controllers' loops are off).</summary>
public sealed class ReconcilerTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new();
    private TestSite _site = null!;

    public async Task InitializeAsync() =>
        _site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 3, clock: _clock, sim: new SimOptions { Seed = 7 });

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task FutureStart_StaysScheduled_ThenStartsItself()
    {
        var start = _clock.GetUtcNow().AddHours(2);
        var cluster = await CreateAsync(new ClusterSpecInput { Name = "later", Workers = 2, Start = start.ToString("O"), Duration = "3h" });

        var result = await StepAsync(cluster.Id);

        Assert.Equal("Scheduled", await PhaseAsync("later"));
        Assert.Equal(TimeSpan.FromHours(2), result.RequeueAfter);
        Assert.Empty(AllVms());

        _clock.Advance(TimeSpan.FromHours(1));
        await StepAsync(cluster.Id);
        Assert.Equal("Scheduled", await PhaseAsync("later"));

        _clock.Advance(TimeSpan.FromHours(1));
        await RunUntilAsync(cluster.Id, "later", "Ready");
        Assert.Equal(3, AllVms().Count);
        var view = await _site.Client.GetClusterAsync("later", nodes: true, CancellationToken.None);
        Assert.All(view.Nodes!, n => Assert.Equal("ready", n.State));
        Assert.NotNull(view.Vni);
    }

    [Fact]
    public async Task EndTime_ReleasesItself_AndFreesCapacity()
    {
        var cluster = await CreateAsync(new ClusterSpecInput { Name = "short", Workers = 2, Duration = "30m" });
        var ready = await RunUntilAsync(cluster.Id, "short", "Ready");
        Assert.True(ready.RequeueAfter <= TimeSpan.FromMinutes(30));

        _clock.Advance(TimeSpan.FromMinutes(30));
        await RunUntilAsync(cluster.Id, "short", "Released");

        Assert.Empty(AllVms());
        Assert.All(Sims(), s => Assert.Empty(s.Inventory().Segments));
        Assert.Equal(0, await CountAsync($"SELECT COUNT(*) FROM claims WHERE cluster_id = '{cluster.Id}'"));
        var events = await _site.Client.ListEventsAsync("short", CancellationToken.None);
        Assert.Contains(events, e => e.Reason == "Releasing" && e.Message.Contains("window ended", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeletedBeforeStart_ReleasedWithoutTouchingHosts()
    {
        var cluster = await CreateAsync(new ClusterSpecInput { Name = "never", Workers = 2, Start = _clock.GetUtcNow().AddDays(1).ToString("O") });
        await _site.Client.DeleteClusterAsync("never", CancellationToken.None);
        var calls = _site.Agent.ApplyCalls;

        await RunUntilAsync(cluster.Id, "never", "Released");

        Assert.Equal(calls, _site.Agent.ApplyCalls);
    }

    [Fact]
    public async Task VmKilled_Degraded_ThenRepairedToReady()
    {
        var cluster = await CreateAsync(new ClusterSpecInput { Name = "heal", Workers = 3 });
        await RunUntilAsync(cluster.Id, "heal", "Ready");
        var victim = AllVms().First(v => v.Name.EndsWith("-node-02", StringComparison.Ordinal));
        Assert.Contains(Sims(), s => s.KillVm(victim.Name));

        await StepAsync(cluster.Id);
        var degraded = await _site.Client.GetClusterAsync("heal", nodes: true, CancellationToken.None);
        Assert.Equal("Degraded", degraded.Phase);
        Assert.Equal("stopped", degraded.Nodes!.Single(n => n.Name == "node-02").State);
        Assert.Contains("node-02", degraded.Reason, StringComparison.Ordinal);

        await RunUntilAsync(cluster.Id, "heal", "Ready");
        Assert.All(AllVms(), v => Assert.Equal(Drivers.Compute.VmState.Running, v.State));
        var reasons = (await _site.Client.ListEventsAsync("heal", CancellationToken.None)).Select(e => e.Reason).ToList();
        Assert.Equal(["Admitted", "Provisioning", "Ready", "Degraded", "Ready"], reasons);
    }

    [Fact]
    public async Task AgentUnreachable_Retries_ThenReadyWhenBack()
    {
        var cluster = await CreateAsync(new ClusterSpecInput { Name = "flaky", Workers = 5, Policy = "spread" });
        _site.Agent.Unreachable.Add("sim-002");

        await StepAsync(cluster.Id);
        var result = await StepAsync(cluster.Id);

        Assert.Equal("Provisioning", await PhaseAsync("flaky"));
        Assert.NotNull(result.RequeueAfter);
        var events = await _site.Client.ListEventsAsync("flaky", CancellationToken.None);
        Assert.Contains(events, e => e.Reason == "StepFailed" && e.Message.Contains("sim-002", StringComparison.Ordinal));

        _site.Agent.Unreachable.Clear();
        await RunUntilAsync(cluster.Id, "flaky", "Ready");
        Assert.Equal(6, AllVms().Count);
    }

    [Fact]
    public async Task ReleaseWithAgentDown_StaysReleasing_ThenCompletes()
    {
        var cluster = await CreateAsync(new ClusterSpecInput { Name = "sticky", Workers = 5, Policy = "spread" });
        await RunUntilAsync(cluster.Id, "sticky", "Ready");
        await _site.Client.DeleteClusterAsync("sticky", CancellationToken.None);
        _site.Agent.Unreachable.Add("sim-003");

        for (var i = 0; i < 5; i++)
        {
            await StepAsync(cluster.Id);
        }

        Assert.Equal("Releasing", await PhaseAsync("sticky"));
        Assert.True(await CountAsync($"SELECT COUNT(*) FROM claims WHERE cluster_id = '{cluster.Id}'") > 0, "claims freed while things may remain on a host");

        _site.Agent.Unreachable.Clear();
        await RunUntilAsync(cluster.Id, "sticky", "Released");
        Assert.Empty(AllVms());
    }

    [Fact]
    public async Task TerminalDriverError_Failed_AndStillReleasesEverything()
    {
        // The site's catalogue knows "ghost", but no host's image store has it: a terminal error.
        await ExecuteAsync("INSERT INTO images (name, description) VALUES ('ghost', 'not in any store')");
        var cluster = await CreateAsync(new ClusterSpecInput { Name = "doomed", Workers = 1, Image = "ghost" });

        await RunUntilAsync(cluster.Id, "doomed", "Failed");
        var failed = await _site.Client.GetClusterAsync("doomed", nodes: false, CancellationToken.None);
        Assert.Contains("ghost", failed.Reason, StringComparison.Ordinal);
        Assert.NotEmpty(Sims().SelectMany(s => s.Inventory().Segments));

        await _site.Client.DeleteClusterAsync("doomed", CancellationToken.None);
        await RunUntilAsync(cluster.Id, "doomed", "Released");
        Assert.All(Sims(), s => Assert.Empty(s.Inventory().Segments));
        Assert.All(Sims(), s => Assert.Empty(s.Inventory().Gateways));
    }

    [Fact]
    public async Task SharedVolume_ExportedOnTheStorageHost_AttachedToTheHead()
    {
        var cluster = await CreateAsync(new ClusterSpecInput { Name = "vol", Workers = 1, Shared = "10G" });
        await RunUntilAsync(cluster.Id, "vol", "Ready");

        var volume = Assert.Single(Sims().SelectMany(s => s.Inventory().Volumes));
        Assert.Equal(10 * 1024, volume.SizeMb);
        Assert.Equal("sim-001", Sims().Single(s => s.Inventory().Volumes.Count == 1).Name);
    }

    [Fact]
    public async Task TwoClusters_GetDifferentVnis_AndTheVniIsFreedOnRelease()
    {
        var a = await CreateAsync(new ClusterSpecInput { Name = "a", Workers = 1 });
        var b = await CreateAsync(new ClusterSpecInput { Name = "b", Workers = 1 });
        await RunUntilAsync(a.Id, "a", "Ready");
        await RunUntilAsync(b.Id, "b", "Ready");
        var vniA = (await _site.Client.GetClusterAsync("a", false, CancellationToken.None)).Vni;
        var vniB = (await _site.Client.GetClusterAsync("b", false, CancellationToken.None)).Vni;
        Assert.NotEqual(vniA, vniB);

        await _site.Client.DeleteClusterAsync("a", CancellationToken.None);
        await RunUntilAsync(a.Id, "a", "Released");
        var c = await CreateAsync(new ClusterSpecInput { Name = "c", Workers = 1 });
        await RunUntilAsync(c.Id, "c", "Ready");

        Assert.Equal(vniA, (await _site.Client.GetClusterAsync("c", false, CancellationToken.None)).Vni);
    }

    [Fact]
    public async Task RandomDriverFailures_StillConverge_NoVmTwice()
    {
        await using var site = await TestSite.StartAsync(
            TestDatabase.FromEnvironment(), hosts: 3, clock: _clock, sim: new SimOptions { FailureRate = 0.3, Seed = 11 });
        var created = await site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "rough", Workers = 6, Policy = "spread" }, CancellationToken.None);

        for (var i = 0; i < 200 && (await site.Client.GetClusterAsync("rough", false, CancellationToken.None)).Phase != "Ready"; i++)
        {
            await site.Reconciler.ReconcileAsync(created.Id, CancellationToken.None);
        }

        Assert.Equal("Ready", (await site.Client.GetClusterAsync("rough", false, CancellationToken.None)).Phase);
        var sims = site.Agent.Hosts.ByName.Values.Cast<SimHost>().ToList();
        Assert.Equal(7, sims.Sum(s => s.Inventory().Vms.Count));
        Assert.All(sims.SelectMany(s => s.VmCreations()), kv => Assert.Equal(1, kv.Value));
    }

    [Fact]
    public async Task ClusterChangedMidReconcile_NothingOfThatPassIsCommitted_AndTheNextPassActsOnTheChange()
    {
        var cluster = await CreateAsync(new ClusterSpecInput { Name = "race", Workers = 2 });
        await StepAsync(cluster.Id); // Scheduled -> Provisioning
        var eventsBefore = await CountAsync($"SELECT COUNT(*) FROM events WHERE cluster_id = '{cluster.Id}'");

        // While the pass talks to the hosts, the tenant deletes the cluster: the pass's version-checked write loses.
        _site.Agent.BeforeNextApply = () => _site.Client.DeleteClusterAsync("race", CancellationToken.None);
        var raced = await StepAsync(cluster.Id);

        Assert.Equal(TimeSpan.Zero, raced.RequeueAfter);
        Assert.Equal(0, await CountAsync($"SELECT COUNT(*) FROM nodes WHERE cluster_id = '{cluster.Id}' AND state <> 'pending'"));
        Assert.Equal(0, await CountAsync($"SELECT COUNT(*) FROM nodes WHERE cluster_id = '{cluster.Id}' AND booted_ms IS NOT NULL"));
        Assert.Equal(eventsBefore, await CountAsync($"SELECT COUNT(*) FROM events WHERE cluster_id = '{cluster.Id}'"));
        Assert.Equal(0, (await _site.Client.GetClusterAsync("race", nodes: false, CancellationToken.None)).NodesReady);

        await RunUntilAsync(cluster.Id, "race", "Released");
        Assert.Empty(AllVms());
    }

    [Fact]
    public async Task StoreRefusesTheWrite_RetriedWithGrowingBackoff_NotAtOnce_ThenRecovers()
    {
        var cluster = await CreateAsync(new ClusterSpecInput { Name = "stuck", Workers = 1 });
        await ExecuteAsync(_site.TestDatabase.Provider == Store.StoreProvider.Postgres
            ? """
              CREATE FUNCTION refuse_provisioning() RETURNS trigger AS $$
              BEGIN IF NEW.phase = 'Provisioning' THEN RAISE EXCEPTION 'injected: the disk is full'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;
              CREATE TRIGGER refuse_provisioning BEFORE UPDATE ON clusters FOR EACH ROW EXECUTE FUNCTION refuse_provisioning();
              """
            : "CREATE TRIGGER refuse_provisioning BEFORE UPDATE ON clusters WHEN NEW.phase = 'Provisioning' BEGIN SELECT RAISE(ABORT, 'injected: the disk is full'); END;");

        var first = await StepAsync(cluster.Id);
        var second = await StepAsync(cluster.Id);
        var third = await StepAsync(cluster.Id);

        Assert.True(first.RequeueAfter > TimeSpan.Zero, $"retried at once ({first.RequeueAfter})");
        Assert.True(third.RequeueAfter > first.RequeueAfter, $"no backoff: {first.RequeueAfter}, {second.RequeueAfter}, {third.RequeueAfter}");
        var failing = await _site.Client.GetClusterAsync("stuck", nodes: false, CancellationToken.None);
        Assert.Equal("Scheduled", failing.Phase);
        var condition = Assert.Single(failing.Conditions);
        Assert.Equal(("Failing", "ReconcileFailed", 3), (condition.Type, condition.Reason, condition.Attempts));
        Assert.Contains("injected: the disk is full", condition.Message, StringComparison.Ordinal);
        Assert.Equal(_clock.GetUtcNow(), condition.Since);
        Assert.Contains(_site.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains(cluster.Id, StringComparison.Ordinal)
            && e.Exception?.ToString().Contains("injected: the disk is full", StringComparison.Ordinal) == true);
        Assert.Equal(2, (await _site.Client.ListEventsAsync("stuck", CancellationToken.None)).Count(e => e.Reason == "ReconcileFailed")); // attempts 1 and 2

        await ExecuteAsync(_site.TestDatabase.Provider == Store.StoreProvider.Postgres
            ? "DROP TRIGGER refuse_provisioning ON clusters; DROP FUNCTION refuse_provisioning();"
            : "DROP TRIGGER refuse_provisioning;");
        await RunUntilAsync(cluster.Id, "stuck", "Ready");
        Assert.Empty((await _site.Client.GetClusterAsync("stuck", nodes: false, CancellationToken.None)).Conditions);
    }

    private async Task<ClusterView> CreateAsync(ClusterSpecInput request) =>
        await _site.Client.CreateClusterAsync(request, CancellationToken.None);

    private Task<ReconcileResult> StepAsync(string id) => _site.Reconciler.ReconcileAsync(id, CancellationToken.None);

    private async Task<string> PhaseAsync(string name) => (await _site.Client.GetClusterAsync(name, nodes: false, CancellationToken.None)).Phase;

    private Task<ReconcileResult> RunUntilAsync(string id, string name, string phase) => _site.ReconcileUntilAsync(_clock, id, name, phase);

    private IReadOnlyList<SimHost> Sims() => _site.Agent.Hosts.ByName.Values.Cast<SimHost>().ToList();

    private List<Drivers.Compute.VmStatus> AllVms() => Sims().SelectMany(s => s.Inventory().Vms).ToList();

    private async Task<long> CountAsync(string sql)
    {
        await using var db = _site.Database.CreateContext();
        return await db.Database.GetDbConnection().ExecuteScalarAsync<long>(sql);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var db = _site.Database.CreateContext();
        await db.Database.GetDbConnection().ExecuteAsync(sql);
    }
}
