using Vcm.Api;
using Vcm.Testing;
using Xunit;

namespace Vcm.Lab.Tests;

/// <summary>
/// The clusters one test makes on a lab. Before the first of them the lab is read; when the test ends, pass or fail,
/// each is deleted and waited for until Released (its parts at the peer site too), and then the hosts must hold exactly
/// what they held before: every test's release is checked on its own clusters, and the next test finds the lab as
/// the fixture built it.
/// </summary>
public sealed class OwnClusters(LabFixture lab, VcmCli? peer = null)
{
    private readonly List<string> _names = [];
    private LabSnapshot? _before;

    /// <summary>Call before making the cluster.</summary>
    public async Task AddAsync(string name)
    {
        _before ??= await lab.SnapshotAsync();
        _names.Add(name);
    }

    /// <summary>Fails unless the lab now shows the cluster's gateway namespace, one new VM per node, and the home site's VMs by name.</summary>
    public async Task AssertOnHostsAsync(ClusterView cluster)
    {
        var now = await lab.SnapshotAsync();
        var tag = cluster.Id[^12..];
        Assert.Contains($"vc-{tag}-gw", now.GatewayNamespaces);
        var added = now.Vms().Except(_before!.Vms()).ToList();
        Assert.Equal(cluster.Nodes!.Count, added.Count);
        Assert.All(cluster.Nodes!.Where(n => n.Site == cluster.Site), n => Assert.Contains($"{n.Host}:vc-{tag}-{n.Name}", added));
    }

    /// <summary>Releases the clusters and checks that nothing of them is left on any host.</summary>
    public async Task ReleaseAsync()
    {
        if (_before is null)
        {
            return;
        }

        await lab.EnsureUpAsync();
        foreach (var cluster in await lab.ReleaseAsync(_names))
        {
            if (cluster.Parts.Count > 0)
            {
                // the home is Released only once its peers released their parts; each must say so itself too
                var site = peer ?? throw new InvalidOperationException($"{cluster.Name} has parts at other sites, but no peer manager to ask about them");
                await site.WaitForPhaseAsync($"{cluster.Name}@{LabFixture.HomeSite}", "Released", TimeSpan.FromMinutes(2));
            }
        }

        _before.AssertSameAs(await lab.SnapshotAsync());
    }
}
