using System.Security.Cryptography;
using Vcm.Domain.Clusters;
using Vcm.Store;
using Vcm.Store.Clusters;
using Vcm.Store.Hosts;
using Vcm.Store.Secrets;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Ssh;

/// <summary>
/// A cluster made through the API by a live manager: its admin key, its nodes' tokens and the agent's key are in the
/// database only encrypted with the site's key; the manager reads them back (the admin key still signs what its
/// public line verifies); a copy of the database without the key reveals none.
/// </summary>
public sealed class SecretsAtRestTests : IAsyncLifetime
{
    private TestSite _site = null!;

    public async Task InitializeAsync() => _site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 3);

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task AClustersSecrets_AreNotInTheRawDatabase_TheManagerReadsThemBack_ACopyWithoutTheKeyCannot()
    {
        await _site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "sec", Workers = 2 }, CancellationToken.None);
        var ready = await _site.WaitForPhaseAsync("sec", "Ready");

        var clusters = new ClusterStore(_site.Database);
        var cluster = (await clusters.GetAsync(ready.Id, CancellationToken.None))!;
        var tokens = (await clusters.GetNodesAsync(cluster.Id, CancellationToken.None)).Select(n => n.Token!).ToList();
        var agentKey = Assert.Single(await new HostStore(_site.Database).ListAgentsAsync(CancellationToken.None)).Key;
        Assert.Equal(3, tokens.Count(t => t.Length >= 16));
        Assert.Contains("PRIVATE KEY", cluster.AdminPrivateKey, StringComparison.Ordinal);

        Assert.Empty(RawDatabase.Revealed(await RawDatabase.TextAsync(_site.Database), [cluster.AdminPrivateKey!, agentKey, .. tokens]));

        // the key read back is the one whose public line went onto the nodes: it signs what that line verifies
        using var signer = ECDsa.Create();
        signer.ImportFromPem(cluster.AdminPrivateKey);
        var q = Convert.FromBase64String(cluster.AdminPublicKey!.Split(' ')[1])[^65..];
        using var verifier = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = q[1..33], Y = q[33..] } });
        Assert.True(verifier.VerifyData("vcm ssh"u8, signer.SignData("vcm ssh"u8.ToArray(), HashAlgorithmName.SHA256), HashAlgorithmName.SHA256));

        var copy = new Database(_site.TestDatabase.Options with { Secrets = SiteSecrets.Ephemeral() });
        await Assert.ThrowsAnyAsync<CryptographicException>(() => new ClusterStore(copy).GetAsync(cluster.Id, CancellationToken.None));
        await Assert.ThrowsAnyAsync<CryptographicException>(() => new ClusterStore(copy).GetNodesAsync(cluster.Id, CancellationToken.None));
    }
}
