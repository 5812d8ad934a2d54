using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Vcm.Store.Clusters;
using Vcm.Store.Records;
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
        Assert.All(stored, n => Assert.Equal((Seed.NodeName(n.Idx), hosts[n.Idx % hosts.Count].Id, "pending"), (n.Name, n.HostId, n.State)));
        var byId = nodes.ToDictionary(n => n.Id);
        Assert.All(stored, n => Assert.Equal((byId[n.Id].Mac, byId[n.Id].Ip), (n.Mac, n.Ip)));
        await using var db = Database.CreateContext();
        var storedClaims = await db.Claims.Where(c => c.ClusterId == cluster.Id).OrderBy(c => c.EndMs).ToListAsync();
        Assert.Equal(claims.Select(c => (c.Id, c.HostId, c.StartMs, c.EndMs)), storedClaims.Select(c => (c.Id, c.HostId, c.StartMs, c.EndMs)));
        Assert.Equal(1, await db.Events.CountAsync(e => e.ClusterId == cluster.Id));
        Assert.Equal(cluster.Id, (await ClusterStore.GetAsync(cluster.Id, Ct))?.Id);
    }

    [Fact]
    public async Task Insert_TransactionRolledBack_StoresNothing()
    {
        var site = await Seed.SiteAsync(Database);
        var hosts = await Seed.HostsAsync(Database, site.Id, 2);
        var before = await DbSnapshot.TakeAsync(Database);
        var cluster = Seed.Cluster(site.Id, "c1");

        await using (var db = Database.CreateContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await ClusterStore.InsertAsync(
                db, cluster, Enumerable.Range(0, 1200).Select(i => Seed.Node(cluster.Id, hosts[i % 2].Id, i)).ToList(),
                [Seed.Claim(cluster.Id, hosts[0].Id, Now, Now + 1000)], Seed.Event(cluster.Id, Now), Ct);
            await transaction.RollbackAsync();
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
    public async Task SetNodeStates_OnlyNamedNodesOfTheCluster_CountsChanges_RepeatChangesNothing()
    {
        var site = await Seed.SiteAsync(Database);
        var hosts = await Seed.HostsAsync(Database, site.Id, 2);
        var cluster = Seed.Cluster(site.Id, "c1");
        await Seed.InsertAsync(Database, cluster, Enumerable.Range(0, 2500).Select(i => Seed.Node(cluster.Id, hosts[i % 2].Id, i)).ToList(), []);
        var other = Seed.Cluster(site.Id, "c2");
        await Seed.InsertAsync(Database, other, Enumerable.Range(0, 10).Select(i => Seed.Node(other.Id, hosts[0].Id, i)).ToList(), []);
        var states = new Dictionary<string, (string State, string? Detail)>();
        for (var i = 0; i < 1500; i++)
        {
            states[Seed.NodeName(i)] = ("running", null);
        }

        for (var i = 1500; i < 1600; i++)
        {
            states[Seed.NodeName(i)] = ("failed", "disk full");
        }

        states["no-such-node"] = ("running", null);

        Assert.Equal(1600, await ClusterStore.SetNodeStatesAsync(cluster.Id, states, Ct));
        var nodes = await ClusterStore.GetNodesAsync(cluster.Id, Ct);
        static (string, string?, long) Expected(int idx) =>
            idx < 1500 ? ("running", null, 2) : idx < 1600 ? ("failed", "disk full", 2) : ("pending", null, 1);
        Assert.All(nodes, n => Assert.Equal(Expected(n.Idx), (n.State, n.Detail, n.Version)));
        Assert.All(await ClusterStore.GetNodesAsync(other.Id, Ct), n => Assert.Equal(("pending", 1L), (n.State, n.Version)));

        Assert.Equal(0, await ClusterStore.SetNodeStatesAsync(cluster.Id, states, Ct));

        Assert.Equal(1, await ClusterStore.SetNodeStatesAsync(cluster.Id, new Dictionary<string, (string, string?)> { [Seed.NodeName(1500)] = ("failed", "other") }, Ct));
        Assert.Equal(1, await ClusterStore.SetNodeStatesAsync(cluster.Id, new Dictionary<string, (string, string?)> { [Seed.NodeName(1501)] = ("failed", null) }, Ct));
        Assert.Equal(1, await ClusterStore.SetNodeStatesAsync(cluster.Id, new Dictionary<string, (string, string?)> { [Seed.NodeName(0)] = ("running", "note") }, Ct));
        var changed = (await ClusterStore.GetNodesAsync(cluster.Id, Ct)).Take(1502).ToList();
        Assert.Equal(("running", "note"), (changed[0].State, changed[0].Detail));
        Assert.Equal(("failed", "other"), (changed[1500].State, changed[1500].Detail));
        Assert.Equal(("failed", (string?)null), (changed[1501].State, changed[1501].Detail));
    }

    [Fact]
    public async Task ClaimsEndingAfter_OnlyClaimsEndingLater()
    {
        var site = await Seed.SiteAsync(Database);
        var hosts = await Seed.HostsAsync(Database, site.Id, 1);
        var cluster = Seed.Cluster(site.Id, "c1");
        var claims = new[] { 100, 200, 300, 400 }.Select(end => Seed.Claim(cluster.Id, hosts[0].Id, Now, Now + end)).ToList();
        await Seed.InsertAsync(Database, cluster, [], claims);
        await using var db = Database.CreateContext();

        var found = await ClusterStore.ClaimsEndingAfterAsync(db, Now + 200, Ct);

        Assert.Equal([Now + 300, Now + 400], found.Select(c => c.EndMs).Order());
        Assert.Empty(await ClusterStore.ClaimsEndingAfterAsync(db, Now + 400, Ct));
        Assert.Equal(4, (await ClusterStore.ClaimsEndingAfterAsync(db, Now, Ct)).Count);
    }

    [Fact]
    public async Task DeleteClaims_RemovesOnlyThatClustersClaims()
    {
        var site = await Seed.SiteAsync(Database);
        var hosts = await Seed.HostsAsync(Database, site.Id, 2);
        var first = Seed.Cluster(site.Id, "c1");
        var second = Seed.Cluster(site.Id, "c2");
        await Seed.InsertAsync(Database, first, [], hosts.Select(h => Seed.Claim(first.Id, h.Id, Now, Now + 1000)).ToList());
        await Seed.InsertAsync(Database, second, [], [Seed.Claim(second.Id, hosts[1].Id, Now, Now + 1000)]);

        Assert.Equal(2, await ClusterStore.DeleteClaimsAsync(first.Id, Ct));

        await using var db = Database.CreateContext();
        Assert.Equal([second.Id], await db.Claims.Select(c => c.ClusterId).ToListAsync());
        Assert.Equal(0, await ClusterStore.DeleteClaimsAsync(first.Id, Ct));
    }
}
