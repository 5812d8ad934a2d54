using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Vcm.Domain.Clusters;
using Vcm.Store.Admission;
using Vcm.Store.Clusters;
using Vcm.Testing;
using Xunit;

namespace Vcm.Store.Tests;

public abstract partial class StoreSuite
{
    [Fact]
    public async Task Insert_TenThousandNodesInATransaction_AllStored_ReadInIdxOrder()
    {
        var site = await Seed.SiteAsync(Database);
        var hosts = await Seed.HostsAsync(Database, site.Id, 4);
        var cluster = Seed.Cluster(site.Id, "big", c => c.NodesTotal = 10_000);
        var order = Enumerable.Range(0, 10_000).ToArray();
        new Random(7).Shuffle(order); // stored out of order, so that only the read can put them in order
        var nodes = order.Select(i => Seed.Node(cluster.Id, hosts[i % hosts.Count].Id, i)).ToList();
        var claims = hosts.Select((h, i) => Seed.Claim(cluster.Id, h.Id, Now, Now + 3_600_000 + i)).ToList();

        await Seed.InsertAsync(Database, cluster, nodes, claims);

        var stored = await ClusterStore.GetNodesAsync(cluster.Id, Ct);
        Assert.Equal(Enumerable.Range(0, 10_000), stored.Select(n => n.Idx));
        Assert.All(stored, n => Assert.Equal((Seed.NodeName(n.Idx), hosts[n.Idx % hosts.Count].Id, NodeState.Pending), (n.Name, n.HostId, n.State)));
        var byId = nodes.ToDictionary(n => n.Id);
        Assert.All(stored, n => Assert.Equal((byId[n.Id].Mac, byId[n.Id].Ip, byId[n.Id].Role), (n.Mac, n.Ip, n.Role)));
        await using var db = Database.CreateContext();
        var storedClaims = await db.Claims.Where(c => c.ClusterId == cluster.Id).OrderBy(c => c.EndMs).ToListAsync();
        Assert.Equal(claims.Select(c => (c.Id, c.HostId, c.StartMs, c.EndMs)), storedClaims.Select(c => (c.Id, c.HostId, c.StartMs, c.EndMs)));
        Assert.Equal(1, await db.Events.CountAsync(e => e.ClusterId == cluster.Id));
        var spec = (await ClusterStore.GetAsync(cluster.Id, Ct))!.Spec;
        Assert.Equal(ClusterSpecJson.Serialize(cluster.Spec), ClusterSpecJson.Serialize(spec));
    }

    [Fact]
    public async Task Insert_TransactionNotCommitted_StoresNothing()
    {
        var site = await Seed.SiteAsync(Database);
        var hosts = await Seed.HostsAsync(Database, site.Id, 2);
        var before = await DbSnapshot.TakeAsync(Database);
        var cluster = Seed.Cluster(site.Id, "c1");

        await using (var transaction = await new AdmissionStore(Database).BeginAsync(site.Id, Ct))
        {
            await transaction.InsertAsync(
                cluster, Enumerable.Range(0, 1200).Select(i => Seed.Node(cluster.Id, hosts[i % 2].Id, i)).ToList(),
                [Seed.Claim(cluster.Id, hosts[0].Id, Now, Now + 1000)], [Seed.Event(cluster.Id, Now)], [], Ct);
        }

        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(Database)));
    }

    [Fact]
    public async Task Insert_NodeOnAnUnknownHost_RefusedByTheForeignKey()
    {
        var site = await Seed.SiteAsync(Database);
        var hosts = await Seed.HostsAsync(Database, site.Id, 1);
        var before = await DbSnapshot.TakeAsync(Database);
        var cluster = Seed.Cluster(site.Id, "c1");
        var nodes = new[] { Seed.Node(cluster.Id, hosts[0].Id, 0), Seed.Node(cluster.Id, "no-such-host", 1) };

        await Assert.ThrowsAnyAsync<DbException>(() => Seed.InsertAsync(Database, cluster, nodes, []));

        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(Database)));
    }

    [Fact]
    public async Task Observe_OnlyNamedNodesOfTheCluster_RepeatChangesNothing()
    {
        var site = await Seed.SiteAsync(Database);
        var hosts = await Seed.HostsAsync(Database, site.Id, 2);
        var cluster = Seed.Cluster(site.Id, "c1");
        await Seed.InsertAsync(Database, cluster, Enumerable.Range(0, 2500).Select(i => Seed.Node(cluster.Id, hosts[i % 2].Id, i)).ToList(), []);
        var other = Seed.Cluster(site.Id, "c2");
        await Seed.InsertAsync(Database, other, Enumerable.Range(0, 10).Select(i => Seed.Node(other.Id, hosts[0].Id, i)).ToList(), []);
        var seen = Enumerable.Range(0, 1500).Select(i => new NodeObservation(Seed.NodeName(i), NodeState.Ready))
            .Concat(Enumerable.Range(1500, 100).Select(i => new NodeObservation(Seed.NodeName(i), NodeState.Failed, "disk full")))
            .Append(new NodeObservation("no-such-node", NodeState.Ready))
            .ToList();

        await ObserveAsync(cluster.Id, seen);

        static (NodeState, string?, long) Expected(int idx) =>
            idx < 1500 ? (NodeState.Ready, null, 2) : idx < 1600 ? (NodeState.Failed, "disk full", 2) : (NodeState.Pending, null, 1);
        Assert.All(await ClusterStore.GetNodesAsync(cluster.Id, Ct), n => Assert.Equal(Expected(n.Idx), (n.State, n.Detail, n.Version)));
        Assert.All(await ClusterStore.GetNodesAsync(other.Id, Ct), n => Assert.Equal((NodeState.Pending, 1L), (n.State, n.Version)));

        await ObserveAsync(cluster.Id, seen);
        Assert.All(await ClusterStore.GetNodesAsync(cluster.Id, Ct), n => Assert.Equal(Expected(n.Idx), (n.State, n.Detail, n.Version)));

        await ObserveAsync(cluster.Id, [
            new(Seed.NodeName(1500), NodeState.Failed, "other"), new(Seed.NodeName(1501), NodeState.Failed), new(Seed.NodeName(0), NodeState.Ready, "note")]);
        var changed = (await ClusterStore.GetNodesAsync(cluster.Id, Ct)).Take(1502).ToList();
        Assert.Equal((NodeState.Ready, "note"), (changed[0].State, changed[0].Detail));
        Assert.Equal((NodeState.Failed, "other"), (changed[1500].State, changed[1500].Detail));
        Assert.Equal((NodeState.Failed, (string?)null), (changed[1501].State, changed[1501].Detail));
    }

    [Fact]
    public async Task Observe_EveryNodeTheSame_BootTimesAndHostKeysKeptUntilReplaced()
    {
        var site = await Seed.SiteAsync(Database);
        var hosts = await Seed.HostsAsync(Database, site.Id, 1);
        var cluster = Seed.Cluster(site.Id, "c1");
        await Seed.InsertAsync(Database, cluster, Enumerable.Range(0, 3).Select(i => Seed.Node(cluster.Id, hosts[0].Id, i)).ToList(), []);

        await ObserveAsync(cluster.Id, Enumerable.Range(0, 3).Select(i => new NodeObservation(Seed.NodeName(i), NodeState.Booting, null, Now + i)).ToList());
        await ObserveAsync(cluster.Id, [new(Seed.NodeName(1), NodeState.Booting, null, null, "ssh-ed25519 AAAA key", "SHA256:k")]);

        var nodes = await ClusterStore.GetNodesAsync(cluster.Id, Ct);
        Assert.Equal([(NodeState.Booting, Now, null), (NodeState.Booting, Now + 1, "ssh-ed25519 AAAA key"), (NodeState.Booting, Now + 2, null)],
            nodes.Select(n => (n.State, n.BootedMs, n.HostKey)));
        Assert.Equal("SHA256:k", nodes[1].HostKeyFingerprint);
    }

    [Fact]
    public async Task Observe_ManyNodesWithBootTimesAndStates_EachRowGetsItsOwn()
    {
        var site = await Seed.SiteAsync(Database);
        var hosts = await Seed.HostsAsync(Database, site.Id, 1);
        var cluster = Seed.Cluster(site.Id, "c1");
        await Seed.InsertAsync(Database, cluster, Enumerable.Range(0, 2500).Select(i => Seed.Node(cluster.Id, hosts[0].Id, i)).ToList(), []);

        // more than one statement's worth of detailed rows, in different states, mixed with state-only rows
        var seen = Enumerable.Range(0, 2400).Select(i => i % 3 == 0
                ? new NodeObservation(Seed.NodeName(i), NodeState.Ready, null, Now + i, $"ssh-ed25519 K{i}", $"SHA256:{i}")
                : new NodeObservation(Seed.NodeName(i), NodeState.Booting, i % 3 == 1 ? "firmware" : null, Now + i) { RemoteHost = i % 2 == 0 ? "h2" : null })
            .Concat(Enumerable.Range(2400, 50).Select(i => new NodeObservation(Seed.NodeName(i), NodeState.Failed, "disk full")))
            .ToList();
        await ObserveAsync(cluster.Id, seen);

        var nodes = await ClusterStore.GetNodesAsync(cluster.Id, Ct);
        Assert.All(nodes, n =>
        {
            var i = n.Idx;
            var expected = i >= 2450 ? (NodeState.Pending, (string?)null, (long?)null, (string?)null, (string?)null)
                : i >= 2400 ? (NodeState.Failed, "disk full", null, null, null)
                : i % 3 == 0 ? (NodeState.Ready, null, Now + i, $"ssh-ed25519 K{i}", null)
                : (NodeState.Booting, i % 3 == 1 ? "firmware" : null, Now + i, null, i % 2 == 0 ? "h2" : null);
            Assert.Equal(expected, (n.State, n.Detail, n.BootedMs, n.HostKey, n.RemoteHost));
        });

        // a later pass with only a state keeps what the detailed pass wrote
        await ObserveAsync(cluster.Id, Enumerable.Range(0, 2400).Select(i => new NodeObservation(Seed.NodeName(i), NodeState.Ready)).ToList());
        var later = await ClusterStore.GetNodesAsync(cluster.Id, Ct);
        Assert.All(later.Take(2400), n => Assert.Equal((NodeState.Ready, (string?)null, (long?)(Now + n.Idx)), (n.State, n.Detail, n.BootedMs)));
        Assert.Equal("SHA256:3", later[3].HostKeyFingerprint);
    }

    [Fact]
    public async Task Commit_ClusterChangedSinceItWasRead_NothingOfThePassIsWritten()
    {
        var site = await Seed.SiteAsync(Database);
        var hosts = await Seed.HostsAsync(Database, site.Id, 1);
        var cluster = Seed.Cluster(site.Id, "c1");
        await Seed.InsertAsync(Database, cluster, Enumerable.Range(0, 3).Select(i => Seed.Node(cluster.Id, hosts[0].Id, i)).ToList(), [Seed.Claim(cluster.Id, hosts[0].Id, Now, Now + 1000)]);
        var before = await DbSnapshot.TakeAsync(Database);
        await using var session = (await ClusterSession.OpenAsync(Database, cluster.Id, Ct))!;
        session.Cluster.Reason = "observed";
        session.Observe(new NodeObservation(Seed.NodeName(0), NodeState.Ready, null, Now));
        session.Add(Seed.Event(cluster.Id, Now, "seen"));

        await ClusterStore.UpdateAsync(cluster.Id, c => { c.Generation++; return []; }, Ct); // meanwhile, another writer
        await session.FreeClaimsAsync(Ct);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => session.CommitAsync(Now, Ct));
        var after = await DbSnapshot.TakeAsync(Database);
        Assert.Equal(before["nodes"], after["nodes"]);
        Assert.Equal(before["claims"], after["claims"]);
        Assert.Equal(before["events"], after["events"]);
        Assert.Equal(before["sites"], after["sites"]);
        Assert.Equal((cluster.Generation + 1, "starting"), (await ClusterAsync(cluster.Id)) is var c ? (c.Generation, c.Reason) : default);
    }

    [Fact]
    public async Task Calendar_OnlyClaimsEndingLater()
    {
        var site = await Seed.SiteAsync(Database);
        var hosts = await Seed.HostsAsync(Database, site.Id, 1);
        var cluster = Seed.Cluster(site.Id, "c1");
        var claims = new[] { 100, 200, 300, 400 }.Select(end => Seed.Claim(cluster.Id, hosts[0].Id, Now, Now + end)).ToList();
        await Seed.InsertAsync(Database, cluster, [], claims);
        await using var transaction = await new AdmissionStore(Database).BeginAsync(site.Id, Ct);

        var (calendarHosts, found) = await transaction.CalendarAsync(Now + 200, Ct);

        Assert.Equal([Now + 300, Now + 400], found.Select(c => c.End.ToUnixTimeMilliseconds()).Order());
        Assert.Equal([hosts[0].Id], calendarHosts.Select(h => h.HostId));
        Assert.Empty((await transaction.CalendarAsync(Now + 400, Ct)).Claims);
        Assert.Equal(4, (await transaction.CalendarAsync(Now, Ct)).Claims.Count);
    }

    [Fact]
    public async Task FreeClaims_RemovesOnlyThatClustersClaims_AndBumpsTheCalendar()
    {
        var site = await Seed.SiteAsync(Database);
        var hosts = await Seed.HostsAsync(Database, site.Id, 2);
        var first = Seed.Cluster(site.Id, "c1");
        var second = Seed.Cluster(site.Id, "c2");
        await Seed.InsertAsync(Database, first, [], hosts.Select(h => Seed.Claim(first.Id, h.Id, Now, Now + 1000)).ToList());
        await Seed.InsertAsync(Database, second, [], [Seed.Claim(second.Id, hosts[1].Id, Now, Now + 1000)]);
        var version = await CalendarVersionAsync(site.Id);

        await using (var session = (await ClusterSession.OpenAsync(Database, first.Id, Ct))!)
        {
            await session.FreeClaimsAsync(Ct);
            await session.CommitAsync(Now, Ct);
        }

        await using var db = Database.CreateContext();
        Assert.Equal([second.Id], await db.Claims.Select(c => c.ClusterId).ToListAsync());
        Assert.Equal(version + 1, await CalendarVersionAsync(site.Id));
    }

    private async Task ObserveAsync(string clusterId, IReadOnlyList<NodeObservation> observations)
    {
        await using var session = (await ClusterSession.OpenAsync(Database, clusterId, Ct))!;
        foreach (var observation in observations)
        {
            session.Observe(observation);
        }

        await session.CommitAsync(Now, Ct);
    }

    private async Task<long> CalendarVersionAsync(string siteId)
    {
        await using var db = Database.CreateContext();
        return await db.Sites.Where(s => s.Id == siteId).Select(s => s.CalendarVersion).SingleAsync();
    }
}
