using Dapper;
using Microsoft.EntityFrameworkCore;
using Vcm.Agent.Sim;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Drivers.Network;
using Vcm.Manager.Ssh;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Controllers;

/// <summary>
/// Each node's SSH host key is made by the manager at admission (docs/guest-protocol.md, "The node's host key"): pinned
/// before the node boots, handed to its gateway, kept encrypted; a node that answers with another key is a warning,
/// never a new pin; nodes from before keep pinning what they report. (A node built again with the same key, on a real
/// guest: MicroBootTests.)
/// </summary>
public sealed class NodeHostKeyTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new();
    private TestSite _site = null!;

    public async Task InitializeAsync() =>
        _site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 2, clock: _clock, sim: new SimOptions { Seed = 3 });

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task Admitted_EachNodePinnedBeforeItBoots_ItsGatewayGetsTheKey_AndTheRawDatabaseHoldsNoPrivateKey()
    {
        var cluster = await _site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "keys", Workers = 2 }, Ct);

        // pinned at admission, before anything was built
        var admitted = (await _site.Client.GetClusterAsync("keys", nodes: true, Ct)).Nodes!;
        Assert.All(admitted, n => Assert.StartsWith("SHA256:", n.HostKeyFingerprint, StringComparison.Ordinal));
        Assert.Equal(3, admitted.Select(n => n.HostKeyFingerprint).Distinct().Count());

        await _site.ReconcileUntilAsync(_clock, cluster.Id, "keys", "Ready");

        var given = Assert.Single(Sims().SelectMany(s => s.GatewaySpecs())).Nodes.ToDictionary(n => n.Name, n => SshHostKey.Parse(n.HostKey!)!);
        var ready = (await _site.Client.GetClusterAsync("keys", nodes: true, Ct)).Nodes!;
        Assert.Equal(admitted.Select(n => (n.Name, n.HostKeyFingerprint)), ready.Select(n => (n.Name, n.HostKeyFingerprint)));
        Assert.All(ready, n => Assert.Equal(given[n.Name].Fingerprint, n.HostKeyFingerprint));
        Assert.DoesNotContain(await EventsAsync("keys"), e => e.Reason == "HostKeyMismatch");

        Assert.Empty(RawDatabase.Revealed(await RawDatabase.TextAsync(_site.Database), given.Values.Select(k => k.PrivateKey)));
        await using var db = _site.Database.CreateContext();
        var stored = await db.Nodes.Where(n => n.ClusterId == cluster.Id).ToDictionaryAsync(n => n.Name, n => n.HostKeyPrivate);
        Assert.All(given, kv => Assert.Equal(kv.Value.PrivateKey, stored[kv.Key]));
    }

    [Fact]
    public async Task NodeAnswersWithAnotherKey_AWarning_AndThePinStaysTheKeyItWasGiven()
    {
        var other = NodeHostKeys.Create("made by the guest");
        _site.Agent.RewriteReports = r => r.Name == "node-01" ? r with { HostKey = other.PublicLine, Fingerprint = other.Fingerprint } : r;
        var cluster = await _site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "liar", Workers = 2 }, Ct);

        await _site.ReconcileUntilAsync(_clock, cluster.Id, "liar", "Ready");

        var node = (await _site.Client.GetClusterAsync("liar", nodes: true, Ct)).Nodes!.Single(n => n.Name == "node-01");
        Assert.Equal(SshHostKey.Parse(GivenKey("node-01"))!.Fingerprint, node.HostKeyFingerprint);
        var warning = Assert.Single(await EventsAsync("liar"), e => e.Reason == "HostKeyMismatch");
        Assert.Equal("Warning", warning.Type);
        Assert.Contains("node-01", warning.Message, StringComparison.Ordinal);
        Assert.Contains(other.Fingerprint, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodeFromBefore_WithoutAKeyMadeByVcm_IsPinnedToTheKeyItReports()
    {
        var cluster = await _site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "old", Workers = 1 }, Ct);
        await using (var db = _site.Database.CreateContext())
        {
            // as a node admitted before vcm made host keys
            await db.Database.GetDbConnection().ExecuteAsync(
                "UPDATE nodes SET host_key_private = NULL, host_key = NULL, host_key_fingerprint = NULL WHERE cluster_id = @id", new { id = cluster.Id });
        }

        Assert.All((await _site.Client.GetClusterAsync("old", nodes: true, Ct)).Nodes!, n => Assert.Null(n.HostKeyFingerprint));

        await _site.ReconcileUntilAsync(_clock, cluster.Id, "old", "Ready");

        Assert.All(Sims().SelectMany(s => s.GatewaySpecs()).SelectMany(g => g.Nodes), n => Assert.Null(n.HostKey));
        Assert.All((await _site.Client.GetClusterAsync("old", nodes: true, Ct)).Nodes!, n => Assert.StartsWith("SHA256:sim-", n.HostKeyFingerprint, StringComparison.Ordinal));
        Assert.DoesNotContain(await EventsAsync("old"), e => e.Reason == "HostKeyMismatch");
    }

    private static CancellationToken Ct => CancellationToken.None;

    private string GivenKey(string node) =>
        Sims().SelectMany(s => s.GatewaySpecs()).SelectMany(g => g.Nodes).Single(n => n.Name == node).HostKey!;

    private Task<IReadOnlyList<EventView>> EventsAsync(string cluster) => _site.Client.ListEventsAsync(cluster, Ct);

    private IReadOnlyList<SimHost> Sims() => _site.Agent.Hosts.ByName.Values.Cast<SimHost>().ToList();
}
