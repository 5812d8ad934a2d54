using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Vcm.Agent.Sim;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Domain.Hosts;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Moves;

/// <summary>
/// Draining a host on simulated hosts: its running nodes are live-migrated away (recorded on their new hosts, claims
/// moved, nothing left on it) at most N at a time per host; future reservations on it are re-planned in the drain's
/// transaction and later build elsewhere, or stay with the reason; refusals change nothing; undrain makes it ready.
/// </summary>
public sealed class HostDrainTests
{
    [Fact]
    public async Task Drain_MovesEveryRunningNodeAway_ClaimsFollow_NewClustersLandElsewhere_UndrainMakesItReady()
    {
        await using var site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 4);
        await site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "d", Workers = 3, Policy = "spread", Duration = "2h" }, CancellationToken.None);
        var ready = await ReadyAsync(site, "d");
        var gateway = (await site.Client.ListHostsAsync(CancellationToken.None)).Single(h => h.Roles.Contains("gateway")).Name;
        var victim = ready.Nodes!.Select(n => n.Host).Order(StringComparer.Ordinal).First(h => h != gateway);
        var leaving = ready.Nodes!.Single(n => n.Host == victim);

        var drained = await site.Client.DrainHostAsync(victim, CancellationToken.None);
        Assert.Equal((victim, "draining"), (drained.Host, drained.State));
        Assert.Empty(drained.Reservations);
        var progress = await DrainedAsync(site, victim);
        Assert.Empty(progress.Fixed);

        var after = await ReadyAsync(site, "d");
        var moved = after.Nodes!.Single(n => n.Name == leaving.Name);
        Assert.DoesNotContain(after.Nodes!, n => n.Host == victim);
        Assert.Equal((leaving.Ip, leaving.Mac, "ready"), (moved.Ip, moved.Mac, moved.State));
        var inventory = site.Host(victim).Inventory();
        Assert.Empty(inventory.Vms);
        Assert.Empty(inventory.Disks);
        Assert.Equal(0, await CpusInForceAsync(site, victim));
        Assert.Equal(4, await CpusInForceAsync(site, null));

        var migration = Assert.Single(await site.Client.MigrationsAsync("d", CancellationToken.None));
        Assert.Equal(("completed", victim, moved.Host, $"host {victim} is draining", "host drain"), (migration.State, migration.From, migration.To, migration.Reason, migration.RequestedBy));

        // admission places nothing new on the draining host
        await site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "n", Workers = 3, Policy = "spread", Duration = "1h" }, CancellationToken.None);
        Assert.DoesNotContain((await ReadyAsync(site, "n")).Nodes!, n => n.Host == victim);

        var undrained = await site.Client.UndrainHostAsync(victim, CancellationToken.None);
        Assert.Equal("ready", undrained.State);
        var listed = (await site.Client.ListHostsAsync(CancellationToken.None)).Single(h => h.Name == victim);
        Assert.Equal(("ready", null), (listed.State, listed.Drain));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Drain_ManyNodes_NeverMoreThanTheLimitOfMigrationsAtOnceWithAHostAsSourceOrDestination(int limit)
    {
        await using var site = await TestSite.StartAsync(
            TestDatabase.FromEnvironment(), hosts: 4, sim: new SimOptions { Latency = TimeSpan.FromMilliseconds(2) }, migrationsPerHost: limit);
        foreach (var name in new[] { "p1", "p2", "p3", "p4" })
        {
            await site.Client.CreateClusterAsync(new ClusterSpecInput { Name = name, Workers = 1, Policy = "pack", Duration = "2h" }, CancellationToken.None);
        }

        var placed = new List<NodeView>();
        foreach (var name in new[] { "p1", "p2", "p3", "p4" })
        {
            placed.AddRange((await ReadyAsync(site, name)).Nodes!);
        }

        var victim = placed.GroupBy(n => n.Host).OrderByDescending(g => g.Count()).First().Key;
        var count = placed.Count(n => n.Host == victim);
        Assert.True(count >= 4, $"packing put only {count} nodes on {victim}");

        await site.Client.DrainHostAsync(victim, CancellationToken.None);
        await DrainedAsync(site, victim);

        await using var db = site.Database.CreateContext();
        var migrations = await db.Migrations.ToListAsync();
        Assert.Equal(count, migrations.Count);
        Assert.All(migrations, m => Assert.Equal((Domain.Moves.MigrationState.Completed, true), (m.State, m.EndedMs is not null)));
        foreach (var host in await db.Hosts.Select(h => h.Id).ToListAsync())
        {
            var mine = migrations.Where(m => m.FromHostId == host || m.ToHostId == host).ToList();
            Assert.True(MostAtOnce(mine.Select(m => (m.RequestedMs, m.EndedMs!.Value))) <= limit, $"more than {limit} migrations at once on a host");
        }
    }

    [Fact]
    public async Task Drain_FutureReservationOnTheHost_ReplannedInTheDrain_ThenBuildsElsewhere()
    {
        await using var site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 3);
        var start = DateTimeOffset.UtcNow.AddSeconds(5).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        await site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "later", Workers = 1, Policy = "spread", Start = start, Duration = "1h" }, CancellationToken.None);
        var scheduled = await site.Client.GetClusterAsync("later", nodes: true, CancellationToken.None);
        Assert.Equal("Scheduled", scheduled.Phase);
        var victim = scheduled.Nodes!.Single(n => n.Name == "node-01").Host;

        var drained = await site.Client.DrainHostAsync(victim, CancellationToken.None);

        var replan = Assert.Single(drained.Reservations);
        Assert.Equal(("later", true), (replan.Cluster, replan.Moved));
        Assert.Contains("node-01 to ", replan.Detail, StringComparison.Ordinal);
        var replanned = await site.Client.GetClusterAsync("later", nodes: true, CancellationToken.None);
        Assert.DoesNotContain(replanned.Nodes!, n => n.Host == victim);
        await using (var db = site.Database.CreateContext())
        {
            var claims = await db.Claims.Where(c => c.ClusterId == scheduled.Id).ToListAsync();
            Assert.DoesNotContain(claims, c => c.HostId == HostId(db, victim));
            Assert.Equal(2, claims.Sum(c => c.Cpus));
        }

        Assert.Contains(await site.Client.ListEventsAsync("later", CancellationToken.None), e => e.Reason == "Replanned" && e.Message.StartsWith($"re-planned off host {victim} (draining): ", StringComparison.Ordinal));

        var built = await ReadyAsync(site, "later");
        Assert.DoesNotContain(built.Nodes!, n => n.Host == victim);
        Assert.Empty(site.Host(victim).Inventory().Vms);
        Assert.Empty(site.Host(victim).Inventory().Gateways);
    }

    [Fact]
    public async Task Drain_FutureReservationWithNoRoomElsewhere_StaysWithTheReason_AndAWarning()
    {
        await using var site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 2, sim: new SimOptions { Cpus = 2 });
        var start = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        await site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "a", Workers = 1, Policy = "pack", Start = start, Duration = "1h" }, CancellationToken.None);
        await site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "b", Workers = 1, Policy = "pack", Start = start, Duration = "1h" }, CancellationToken.None);
        var a = await site.Client.GetClusterAsync("a", nodes: true, CancellationToken.None);
        var victim = a.Nodes!.Select(n => n.Host).Distinct().Single();
        var before = await ClaimsAsync(site);

        var drained = await site.Client.DrainHostAsync(victim, CancellationToken.None);

        var kept = drained.Reservations.Single(r => r.Cluster == "a");
        Assert.False(kept.Moved);
        Assert.Contains("no other ready compute host has room for head", kept.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await ClaimsAsync(site));
        Assert.All((await site.Client.GetClusterAsync("a", nodes: true, CancellationToken.None)).Nodes!, n => Assert.Equal(victim, n.Host));
        Assert.Contains(await site.Client.ListEventsAsync("a", CancellationToken.None), e => e.Type == "Warning" && e.Reason == "NotReplanned" && e.Message.Contains($"stays on host {victim}, which is draining", StringComparison.Ordinal));
        var listed = (await site.Client.ListHostsAsync(CancellationToken.None)).Single(h => h.Name == victim);
        Assert.Contains("2 nodes of reservation a", listed.Drain!.Fixed);
        Assert.Equal(0, listed.Drain.NodesLeft);
    }

    [Fact]
    public async Task DrainAndUndrain_BadInput_ProblemDetails_NothingChanged()
    {
        await using var site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 3);
        var hosts = site.Agent.Hosts.ByName.Keys.Order(StringComparer.Ordinal).ToList();

        Assert.Equal(404, (await Assert.ThrowsAsync<VcmApiException>(() => site.Client.DrainHostAsync("nowhere", CancellationToken.None))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<VcmApiException>(() => site.Client.UndrainHostAsync("nowhere", CancellationToken.None))).Status);

        await SetStateAsync(site, hosts[0], HostState.Down);
        var down = await Assert.ThrowsAsync<VcmApiException>(() => site.Client.DrainHostAsync(hosts[0], CancellationToken.None));
        Assert.Equal(409, down.Status);
        Assert.Contains($"Host {hosts[0]} is down", down.Message, StringComparison.Ordinal);
        Assert.Equal(409, (await Assert.ThrowsAsync<VcmApiException>(() => site.Client.UndrainHostAsync(hosts[0], CancellationToken.None))).Status);

        await site.Client.CreateTenantAsync(new TenantCreateRequest("t", null), CancellationToken.None);
        await site.Client.CreateUserAsync(new UserCreateRequest("admin-of-t", "t", "tenant-admin", null), CancellationToken.None);
        var token = await site.Client.CreateTokenAsync(new TokenCreateRequest("admin-of-t", "test", null), CancellationToken.None);
        using var http = site.NewHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Secret);
        foreach (var path in new[] { $"/api/v1/hosts/{hosts[1]}/drain", $"/api/v1/hosts/{hosts[1]}/undrain", "/api/v1/hosts/consolidate?dryRun=true" })
        {
            using var response = await http.PostAsync(new Uri(path, UriKind.Relative), null);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        var states = (await site.Client.ListHostsAsync(CancellationToken.None)).ToDictionary(h => h.Name, h => h.State);
        Assert.Equal(["down", "ready", "ready"], hosts.Select(h => states[h]));

        // draining twice is the same as once
        Assert.Equal("draining", (await site.Client.DrainHostAsync(hosts[1], CancellationToken.None)).State);
        Assert.Equal("draining", (await site.Client.DrainHostAsync(hosts[1], CancellationToken.None)).State);
        Assert.Equal("ready", (await site.Client.UndrainHostAsync(hosts[1], CancellationToken.None)).State);
        Assert.Equal("ready", (await site.Client.UndrainHostAsync(hosts[1], CancellationToken.None)).State);
    }

    [Fact]
    public async Task Consolidate_DryRunChangesNothing_ThenEmptiesTheHostsItNamed()
    {
        await using var site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 4);
        await site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "s", Workers = 3, Policy = "spread", Duration = "2h" }, CancellationToken.None);
        await ReadyAsync(site, "s");
        var gateway = (await site.Client.ListHostsAsync(CancellationToken.None)).Single(h => h.Roles.Contains("gateway")).Name;

        var dry = await site.Client.ConsolidateAsync(dryRun: true, CancellationToken.None);
        Assert.True(dry.DryRun);
        Assert.Equal(site.Agent.Hosts.ByName.Keys.Where(h => h != gateway).Order(StringComparer.Ordinal), dry.Emptied.Order(StringComparer.Ordinal));
        Assert.Equal(3, dry.Moves.Count);
        Assert.All(dry.Moves, m => Assert.Equal(gateway, m.To));
        Assert.Contains(dry.Kept, k => k.Host == gateway && k.Reason.Contains("the gateway of cluster s", StringComparison.Ordinal));
        Assert.Empty(await site.Client.MigrationsAsync("s", CancellationToken.None));
        Assert.All(await site.Client.ListHostsAsync(CancellationToken.None), h => Assert.Equal("ready", h.State));

        var real = await site.Client.ConsolidateAsync(dryRun: false, CancellationToken.None);
        Assert.Equal(dry.Emptied, real.Emptied);
        foreach (var host in real.Emptied)
        {
            await DrainedAsync(site, host);
            Assert.Empty(site.Host(host).Inventory().Vms);
        }

        Assert.All((await ReadyAsync(site, "s")).Nodes!, n => Assert.Equal(gateway, n.Host));
        Assert.All(await site.Client.MigrationsAsync("s", CancellationToken.None), m => Assert.Equal("completed", m.State));
    }

    /// <summary>The most intervals [start, end) that overlap at any instant.</summary>
    private static int MostAtOnce(IEnumerable<(long Start, long End)> intervals)
    {
        var most = 0;
        var now = 0;
        foreach (var (_, delta) in intervals.SelectMany(i => new[] { (At: i.Start, Delta: 1), (At: i.End, Delta: -1) }).OrderBy(e => e.At).ThenBy(e => e.Delta))
        {
            now += delta;
            most = Math.Max(most, now);
        }

        return most;
    }

    private static async Task<HostDrainView> DrainedAsync(TestSite site, string host)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        HostDrainView? progress;
        do
        {
            progress = (await site.Client.ListHostsAsync(CancellationToken.None)).Single(h => h.Name == host).Drain;
            Assert.NotNull(progress);
            if (progress.NodesLeft == 0 && progress.Migrating == 0)
            {
                return progress;
            }

            await Task.Delay(20);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"host {host} still holds {progress.NodesLeft} nodes ({progress.Migrating} moving)");
    }

    private static async Task<ClusterView> ReadyAsync(TestSite site, string name)
    {
        await site.WaitForPhaseAsync(name, "Ready", TimeSpan.FromSeconds(60));
        return await site.Client.GetClusterAsync(name, nodes: true, CancellationToken.None);
    }

    /// <summary>The cpus claims hold right now on the host (every host: null).</summary>
    private static async Task<long> CpusInForceAsync(TestSite site, string? host)
    {
        await using var db = site.Database.CreateContext();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var id = host is null ? null : HostId(db, host);
        return await db.Claims.Where(c => c.StartMs <= now && c.EndMs > now && (id == null || c.HostId == id)).SumAsync(c => c.Cpus);
    }

    private static async Task<string> ClaimsAsync(TestSite site)
    {
        await using var db = site.Database.CreateContext();
        var rows = await db.Claims.OrderBy(c => c.ClusterId).ThenBy(c => c.HostId).ThenBy(c => c.StartMs).Select(c => $"{c.ClusterId}@{c.HostId}:{c.StartMs}-{c.EndMs}:{c.Cpus}").ToListAsync();
        return string.Join(",", rows);
    }

    private static async Task SetStateAsync(TestSite site, string host, HostState state)
    {
        await using var db = site.Database.CreateContext();
        await db.Hosts.Where(h => h.Name == host).ExecuteUpdateAsync(s => s.SetProperty(h => h.State, state));
    }

    private static string HostId(Store.VcmDbContext db, string name) => db.Hosts.Single(h => h.Name == name).Id;
}
