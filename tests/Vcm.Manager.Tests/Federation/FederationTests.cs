using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Vcm.Agent.Sim;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Drivers.Network;
using Vcm.Manager.Configuration;
using Vcm.Manager.Hosting;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Federation;

/// <summary>
/// Two sites, each its own manager and database with simulated hosts, federated over their real HTTP APIs (routed
/// in memory): peering, clusters split across the sites, refusals and outages that leave nothing reserved, release
/// with a peer down, and a part released by its peer when its home stops renewing it.
/// </summary>
public sealed class FederationTests : IAsyncLifetime
{
    private static readonly ControllerOptions Fast = new()
    {
        PollInterval = TimeSpan.FromMilliseconds(25),
        RetryBase = TimeSpan.FromMilliseconds(20),
        RetryMax = TimeSpan.FromMilliseconds(300),
        ReadyRecheck = TimeSpan.FromMilliseconds(200),
        PartLease = TimeSpan.FromSeconds(3),
        PartsDeadline = TimeSpan.FromSeconds(3),
    };

    private readonly TestPeers _peers = new();
    private TestSite _a = null!;
    private TestSite _b = null!;

    public async Task InitializeAsync()
    {
        _a = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 3, controllers: Fast, siteName: "a", peers: _peers);
        _b = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 3, controllers: Fast, siteName: "b", peers: _peers);
        _peers.Register(_a);
        _peers.Register(_b);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    private async Task PeerAsync()
    {
        var token = await _b.Client.CreatePeerTokenAsync(CancellationToken.None);
        await _a.Client.AddPeerAsync(new PeerAddRequest("b", TestSite.UrlOf("b"), token.Token), CancellationToken.None);
    }

    [Fact]
    public async Task AddPeer_ExchangesKeys_BothSitesListEachOther_TokenIsUsedOnce()
    {
        var token = await _b.Client.CreatePeerTokenAsync(CancellationToken.None);
        Assert.Equal("b", token.Site);

        var added = await _a.Client.AddPeerAsync(new PeerAddRequest("b", TestSite.UrlOf("b"), token.Token), CancellationToken.None);

        Assert.Equal("b", added.Name);
        Assert.Equal([("b", TestSite.UrlOf("b"))], (await _a.Client.ListPeersAsync(CancellationToken.None)).Select(p => (p.Name, p.Url)));
        Assert.Equal([("a", TestSite.UrlOf("a"))], (await _b.Client.ListPeersAsync(CancellationToken.None)).Select(p => (p.Name, p.Url)));
        var sites = await _a.Client.ListSitesAsync(CancellationToken.None);
        Assert.Contains(sites, s => s is { Name: "a", Local: true });
        Assert.Contains(sites, s => s.Name == "b" && !s.Local && s.Url == TestSite.UrlOf("b"));

        var again = await Assert.ThrowsAsync<VcmApiException>(() =>
            _a.Client.AddPeerAsync(new PeerAddRequest("b", TestSite.UrlOf("b"), token.Token), CancellationToken.None));
        Assert.Equal(502, again.Status);
        Assert.Contains("site b refused the peer token", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Capacity_WithPeers_ShowsEachPeersOwnCapacity_AndNamesAPeerThatCannotAnswer()
    {
        await PeerAsync();
        await _b.Client.CreateClusterAsync(new ClusterSpecInput { Name = "busy", Workers = 2, Cpus = 4, Duration = "3h" }, CancellationToken.None);
        var from = DateTimeOffset.UtcNow.AddMinutes(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var to = DateTimeOffset.UtcNow.AddHours(5).ToString("O", System.Globalization.CultureInfo.InvariantCulture);

        var seen = await _a.Client.GetCapacityAsync(from, to, "1h", 4, null, null, true, CancellationToken.None);
        var atB = await _b.Client.GetCapacityAsync(from, to, "1h", 4, null, null, false, CancellationToken.None);
        var alone = await _a.Client.GetCapacityAsync(from, to, "1h", 4, null, null, false, CancellationToken.None);
        _peers.SetDown("b", true);
        var down = await _a.Client.GetCapacityAsync(from, to, "1h", 4, null, null, true, CancellationToken.None);

        Assert.Equal("a", seen.Site);
        var b = Assert.Single(seen.Peers!);
        Assert.Equal("b", b.Site);
        Assert.Null(b.Error);
        Assert.Equal(atB.Steps, b.Capacity!.Steps);
        Assert.Equal(alone.Steps, seen.Steps);
        Assert.NotEqual(seen.Steps.Select(s => s.Cpus), b.Capacity.Steps.Select(s => s.Cpus)); // b's cluster holds 12 cpus for 3 h
        Assert.Null(alone.Peers);
        var unreachable = Assert.Single(down.Peers!);
        Assert.Null(unreachable.Capacity);
        Assert.Contains("site b", unreachable.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddPeer_BadInput_ListsEveryProblem_AndStoresNothing()
    {
        var before = await DbSnapshot.TakeAsync(_a.Database);

        var response = await _a.Client.Http.PostAsJsonAsync("api/v1/peers", new { name = "B!", url = "ftp://x/y" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemView>(ApiJson.Options))!;
        Assert.Equal(["name", "token", "url"], problem.Errors!.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_a.Database)));
    }

    [Fact]
    public async Task AddPeer_UrlThatDoesNotAnswer_NamesTheSite_AndStoresNothing()
    {
        var before = await DbSnapshot.TakeAsync(_a.Database);

        var error = await Assert.ThrowsAsync<VcmApiException>(() =>
            _a.Client.AddPeerAsync(new PeerAddRequest("c", TestSite.UrlOf("c"), "vcmpeer_whatever"), CancellationToken.None));

        Assert.Equal(502, error.Status);
        Assert.Contains("site c's manager at http://c.sites.test could not be reached", error.Message, StringComparison.Ordinal);
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_a.Database)));
    }

    [Fact]
    public async Task Create_WithCounts_BuildsThePartAtThePeer_JoinedByVpnEnds_AndReleaseLeavesNothingAtEitherSite()
    {
        await PeerAsync();

        var created = await _a.Client.CreateClusterAsync(
            new ClusterSpecInput { Name = "x", Workers = 3, Sites = ["a:2", "b:2"], WanRate = "100M" }, CancellationToken.None);

        Assert.Equal(["a", "a", "b", "b"], created.Nodes!.Select(n => n.Site));
        Assert.Equal([("b", 2)], created.Parts.Select(p => (p.Site, p.Nodes)));
        await _a.WaitForPhaseAsync("x", "Ready");
        await _b.WaitForPhaseAsync("x@a", "Ready");
        var ready = await _a.Client.GetClusterAsync("x", nodes: true, CancellationToken.None);
        Assert.All(ready.Nodes!, n => Assert.Equal("ready", n.State));
        Assert.All(ready.Nodes!.Where(n => n.Site == "b"), n => Assert.StartsWith("sim-", n.Host, StringComparison.Ordinal));
        var part = await _b.Client.GetClusterAsync("x@a", nodes: true, CancellationToken.None);
        Assert.Equal(ready.Nodes!.Where(n => n.Site == "b").Select(n => (n.Name, n.Mac, n.Ip)), part.Nodes!.Select(n => (n.Name, n.Mac, n.Ip)));
        Assert.Equal(2, SimHosts(_b).Sum(h => h.Inventory().Vms.Count));
        Assert.Equal(2, SimHosts(_a).Sum(h => h.Inventory().Vms.Count));

        var server = SimHosts(_a).SelectMany(h => h.VpnEnds()).Single();
        var client = SimHosts(_b).SelectMany(h => h.VpnEnds()).Single();
        Assert.True(server.Server);
        Assert.False(client.Server);
        Assert.Equal((server.Local, server.Port), (client.Remote, client.RemotePort));
        Assert.Equal((client.Local, client.Port), (server.Remote, server.RemotePort));
        Assert.Equal(server.CaCertificate, client.CaCertificate);
        Assert.Equal(server.TlsCryptKey, client.TlsCryptKey);
        Assert.NotEqual(server.Certificate, client.Certificate);
        Assert.Equal((100, 100), (server.RateMbit, client.RateMbit));

        await _a.Client.DeleteClusterAsync("x", CancellationToken.None);
        await _a.WaitForPhaseAsync("x", "Released");
        Assert.Equal("Released", (await _b.Client.GetClusterAsync("x@a", nodes: false, CancellationToken.None)).Phase);
        _a.AssertHostsEmpty();
        _b.AssertHostsEmpty();
    }

    [Fact]
    public async Task Create_GatewaysWithTwoWanPaths_EachVpnEndHasTheStandbyPath_PairedByPathNumber()
    {
        await using var a = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 2, controllers: Fast, siteName: "a2", peers: _peers, wanPaths: 2);
        await using var b = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 2, controllers: Fast, siteName: "b2", peers: _peers, wanPaths: 2);
        _peers.Register(a);
        _peers.Register(b);
        var token = await b.Client.CreatePeerTokenAsync(CancellationToken.None);
        await a.Client.AddPeerAsync(new PeerAddRequest("b2", TestSite.UrlOf("b2"), token.Token), CancellationToken.None);

        await a.Client.CreateClusterAsync(new ClusterSpecInput { Name = "x", Workers = 1, Sites = ["a2:1", "b2:1"] }, CancellationToken.None);
        await a.WaitForPhaseAsync("x", "Ready");

        var server = SimHosts(a).SelectMany(h => h.VpnEnds()).Single();
        var client = SimHosts(b).SelectMany(h => h.VpnEnds()).Single();
        Assert.Equal(("192.0.2.1", "192.0.2.1"), (server.Local, client.Remote));
        Assert.Equal([new VpnPath("198.51.100.1", "198.51.100.1")], server.AlternatePaths);
        Assert.Equal([new VpnPath("198.51.100.1", "198.51.100.1")], client.AlternatePaths);
        Assert.Equal(server.Paths.Select(p => (p.Local, p.Remote)), client.Paths.Select(p => (p.Remote, p.Local)));
    }

    [Fact]
    public async Task Create_PeerHasNoCapacity_409NamesTheSite_AndNothingIsReservedAnywhere()
    {
        await PeerAsync();
        var beforeA = await DbSnapshot.TakeAsync(_a.Database);
        var beforeB = await DbSnapshot.TakeAsync(_b.Database);

        var error = await Assert.ThrowsAsync<VcmApiException>(() => _a.Client.CreateClusterAsync(
            new ClusterSpecInput { Name = "big", Workers = 499, Sites = ["a:2", "b:498"] }, CancellationToken.None));

        Assert.Equal(409, error.Status);
        Assert.Contains("site b refused", error.Message, StringComparison.Ordinal);
        AssertNothingReserved(beforeA, await DbSnapshot.TakeAsync(_a.Database));
        AssertNothingReserved(beforeB, await DbSnapshot.TakeAsync(_b.Database));
    }

    [Fact]
    public async Task Create_PeerUnreachable_502NamesTheSite_AndNothingIsReservedAnywhere()
    {
        await PeerAsync();
        var beforeA = await DbSnapshot.TakeAsync(_a.Database);
        var beforeB = await DbSnapshot.TakeAsync(_b.Database);
        _peers.SetDown("b", true);

        var error = await Assert.ThrowsAsync<VcmApiException>(() => _a.Client.CreateClusterAsync(
            new ClusterSpecInput { Name = "y", Workers = 3, Sites = ["a:2", "b:2"] }, CancellationToken.None));

        Assert.Equal(502, error.Status);
        Assert.Contains("site b's manager at http://b.sites.test could not be reached", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing is reserved at any site", error.Message, StringComparison.Ordinal);
        _peers.SetDown("b", false);
        AssertNothingReserved(beforeA, await DbSnapshot.TakeAsync(_a.Database));
        AssertNothingReserved(beforeB, await DbSnapshot.TakeAsync(_b.Database));
        Assert.Empty(await _a.Client.ListClustersAsync(all: true, CancellationToken.None));
    }

    [Fact]
    public async Task RemovePeer_WhileItTakesPartInALiveCluster_409NamesTheCluster_AtBothSites()
    {
        await PeerAsync();
        await _a.Client.CreateClusterAsync(new ClusterSpecInput { Name = "p", Workers = 1, Sites = ["a:1", "b:1"] }, CancellationToken.None);

        var atA = await Assert.ThrowsAsync<VcmApiException>(() => _a.Client.RemovePeerAsync("b", CancellationToken.None));
        var atB = await Assert.ThrowsAsync<VcmApiException>(() => _b.Client.RemovePeerAsync("a", CancellationToken.None));

        Assert.Equal((409, 409), (atA.Status, atB.Status));
        Assert.Contains("(p)", atA.Message, StringComparison.Ordinal);
        Assert.Contains("(p@a)", atB.Message, StringComparison.Ordinal);
        Assert.Single(await _a.Client.ListPeersAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Create_PeerAdmitsButItsAnswerIsLost_TheHomeWithdrawsThePartThere()
    {
        await PeerAsync();
        var beforeB = await DbSnapshot.TakeAsync(_b.Database);
        _peers.SetLosePutAnswers("b", true);

        var error = await Assert.ThrowsAsync<VcmApiException>(() => _a.Client.CreateClusterAsync(
            new ClusterSpecInput { Name = "lost", Workers = 1, Sites = ["a:1", "b:1"], Start = DateTimeOffset.UtcNow.AddDays(1).ToString("O") },
            CancellationToken.None));

        Assert.Equal(502, error.Status);
        Assert.Contains("did not answer", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing is reserved at any site", error.Message, StringComparison.Ordinal);
        Assert.Empty(await _a.Client.ListClustersAsync(all: true, CancellationToken.None));
        var afterB = await DbSnapshot.TakeAsync(_b.Database);
        Assert.Equal(beforeB["claims"], afterB["claims"]);
        Assert.Equal(beforeB["clusters"], afterB["clusters"]);
    }

    [Fact]
    public async Task Create_PeerThatNoLongerKnowsOurKey_502SaysSo()
    {
        await PeerAsync();
        await _b.Client.RemovePeerAsync("a", CancellationToken.None);

        var error = await Assert.ThrowsAsync<VcmApiException>(() => _a.Client.CreateClusterAsync(
            new ClusterSpecInput { Name = "k", Workers = 1, Sites = ["a:1", "b:1"] }, CancellationToken.None));

        Assert.Equal(502, error.Status);
        Assert.Contains("site b does not accept this site's key", error.Message, StringComparison.Ordinal);
        Assert.Empty(await _a.Client.ListClustersAsync(all: true, CancellationToken.None));
    }

    [Fact]
    public async Task Create_SitesThatAreNotPeersOrCountsThatDoNotAddUp_400ListsEach()
    {
        await PeerAsync();
        var before = await DbSnapshot.TakeAsync(_a.Database);

        var response = await _a.Client.Http.PostAsJsonAsync("api/v1/clusters", new { name = "z", workers = 3, sites = new[] { "a:1", "zz:2", "b:2" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemView>(ApiJson.Options))!;
        Assert.Contains(problem.Errors!, e => e.Field == "sites[1]" && e.Message.Contains("'zz' is not this site or one of its peers", StringComparison.Ordinal));
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_a.Database)));
    }

    [Fact]
    public async Task FlexibleStart_NamingAPeer_400_NothingStoredAtEitherSite()
    {
        await PeerAsync();
        var (beforeA, beforeB) = (await DbSnapshot.TakeAsync(_a.Database), await DbSnapshot.TakeAsync(_b.Database));

        var response = await _a.Client.Http.PostAsJsonAsync("api/v1/clusters", new
        {
            name = "flex", workers = 1, sites = new[] { "a:1", "b:1" }, latestStart = DateTimeOffset.UtcNow.AddHours(2).ToString("O"), duration = "1h",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Api.Requests.ProblemAsync(response);
        Assert.Equal(["sites"], problem.Errors!.Select(e => e.Field));
        Assert.Contains("a flexible start (latestStart) is for clusters of this site (a) only", problem.Errors![0].Message, StringComparison.Ordinal);
        Assert.Equal("", DbSnapshot.Diff(beforeA, await DbSnapshot.TakeAsync(_a.Database)));
        Assert.Equal("", DbSnapshot.Diff(beforeB, await DbSnapshot.TakeAsync(_b.Database)));
    }

    [Fact]
    public async Task FlexibleStart_TooBigForHome_IsRefused_NotSpilledToThePeer()
    {
        await PeerAsync();
        var beforeB = await DbSnapshot.TakeAsync(_b.Database);

        var response = await _a.Client.Http.PostAsJsonAsync("api/v1/clusters", new
        {
            name = "flex", workers = 7, cpus = 16, latestStart = DateTimeOffset.UtcNow.AddHours(2).ToString("O"), duration = "1h",
        });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("it would not fit even on idle hosts", (await Api.Requests.ProblemAsync(response)).Detail, StringComparison.Ordinal);
        Assert.Empty(await _a.Client.ListClustersAsync(all: true, CancellationToken.None));
        Assert.Equal("", DbSnapshot.Diff(beforeB, await DbSnapshot.TakeAsync(_b.Database)));
    }

    [Fact]
    public async Task Create_WithoutSites_TooBigForHome_SpillsOnlyTheRestToThePeer()
    {
        await PeerAsync();
        // each simulated host has 32 CPUs: 3 hosts hold 6 nodes of 16 CPUs here
        var created = await _a.Client.CreateClusterAsync(
            new ClusterSpecInput { Name = "spill", Workers = 7, Cpus = 16 }, CancellationToken.None);

        Assert.Equal(6, created.Nodes!.Count(n => n.Site == "a"));
        Assert.Equal(2, created.Nodes!.Count(n => n.Site == "b"));
        await _a.WaitForPhaseAsync("spill", "Ready");
    }

    [Fact]
    public async Task Release_WithThePeerDown_WaitsForIt_ThenFinishesWhenItReturns()
    {
        await PeerAsync();
        await _a.Client.CreateClusterAsync(new ClusterSpecInput { Name = "r", Workers = 2, Sites = ["a:1", "b:2"] }, CancellationToken.None);
        await _a.WaitForPhaseAsync("r", "Ready");
        _peers.SetDown("b", true);

        await _a.Client.DeleteClusterAsync("r", CancellationToken.None);

        await WaitUntilAsync(async () => (await _a.Client.ListEventsAsync("r", CancellationToken.None)).Any(e => e.Reason == "PartPendingRelease"));
        var waiting = await _a.Client.GetClusterAsync("r", nodes: true, CancellationToken.None);
        Assert.Equal("Releasing", waiting.Phase);
        Assert.Equal("releasing", waiting.Parts.Single().State);
        _a.AssertHostsEmpty();
        Assert.Equal(2, SimHosts(_b).Sum(h => h.Inventory().Vms.Count));

        _peers.SetDown("b", false);
        await _a.WaitForPhaseAsync("r", "Released");
        await _b.WaitForPhaseAsync("r@a", "Released");
        _b.AssertHostsEmpty();
    }

    [Fact]
    public async Task Part_NotRenewedByItsHome_IsReleasedByThePeerAfterTheLease()
    {
        await PeerAsync();
        await _a.Client.CreateClusterAsync(new ClusterSpecInput { Name = "l", Workers = 1, Sites = ["a:1", "b:1"] }, CancellationToken.None);
        await _b.WaitForPhaseAsync("l@a", "Ready");

        _peers.SetDown("b", true); // the home can no longer reach it, so it renews nothing

        var released = await _b.WaitForPhaseAsync("l@a", "Released", TimeSpan.FromSeconds(30));
        Assert.Contains(
            await _b.Client.ListEventsAsync("l@a", CancellationToken.None),
            e => e.Reason == "Releasing" && e.Message.Contains("its home site a has not renewed it", StringComparison.Ordinal));
        Assert.Equal("Released", released.Phase);
        _b.AssertHostsEmpty();
    }

    [Fact]
    public async Task Home_DiedBeforeItsPartsWereAdmitted_ItsControllerWithdrawsTheCluster()
    {
        await PeerAsync();
        var admission = _a.Manager.App.Services.GetRequiredService<Admission.ClusterAdmission>();
        var (spec, _, problems, _) = await admission.ParseAsync(
            new Vcm.Domain.Clusters.ClusterSpecInput { Name = "w", Workers = 1, Sites = ["a:1", "b:1"] }, [], CancellationToken.None);
        Assert.Empty(problems);

        // The home's own share is stored with its part "requested" — and the manager dies before asking site b.
        var admitted = Assert.IsType<Admission.AdmissionOutcome.Admitted>(
            await admission.AdmitAsync(new Admission.AdmissionRequest { Spec = spec!, Split = _ => Admission.Split.Fixed(spec!, "a") }, CancellationToken.None));
        Assert.Equal("Scheduled", (await _a.Client.GetClusterAsync("w", nodes: false, CancellationToken.None)).Phase);

        await WaitUntilAsync(async () => (await _a.Client.ListClustersAsync(all: true, CancellationToken.None)).All(c => c.Id != admitted.Cluster.Id));
        await using var db = _a.Database.CreateContext();
        Assert.Empty(db.Claims.Where(c => c.ClusterId == admitted.Cluster.Id));
        Assert.Empty(db.ClusterParts.Where(p => p.ClusterId == admitted.Cluster.Id));
        Assert.Empty(await _b.Client.ListClustersAsync(all: true, CancellationToken.None));
        _a.AssertHostsEmpty();
    }

    [Fact]
    public async Task Ready_PeerStopsAnswering_TheHomeRecordsItAsAnEvent()
    {
        await PeerAsync();
        await _a.Client.CreateClusterAsync(new ClusterSpecInput { Name = "u", Workers = 1, Sites = ["a:1", "b:1"] }, CancellationToken.None);
        await _a.WaitForPhaseAsync("u", "Ready");

        _peers.SetDown("b", true);

        await WaitUntilAsync(async () => (await _a.Client.ListEventsAsync("u", CancellationToken.None))
            .Any(e => e.Reason == "PartUnreachable" && e.Message.Contains("site b", StringComparison.Ordinal)));
        _peers.SetDown("b", false);
    }

    private static IEnumerable<SimHost> SimHosts(TestSite site) => site.Agent.Hosts.ByName.Values.Cast<SimHost>();

    /// <summary>No cluster, node, claim or part rows more than before (the site's calendar version may have moved).</summary>
    private static void AssertNothingReserved(IReadOnlyDictionary<string, IReadOnlyList<string>> before, IReadOnlyDictionary<string, IReadOnlyList<string>> after)
    {
        foreach (var table in new[] { "clusters", "nodes", "claims", "cluster_parts", "events" })
        {
            Assert.Equal(before[table], after[table]);
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 30 s");
            await Task.Delay(50);
        }
    }
}
