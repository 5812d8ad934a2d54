using System.Security.Cryptography.X509Certificates;
using Vcm.Domain.Clusters;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Tls;

/// <summary>
/// Certificates are renewed before they expire, without a restart: with a 30-second lifetime the manager issues
/// itself a new one and the agent joins again for a new one once two thirds have passed, while the site keeps
/// working — its hosts stay ready and a cluster made after both renewals is built over the new certificates.
/// </summary>
public sealed class RenewalTests : IAsyncLifetime
{
    private TlsSite _site = null!;

    public async Task InitializeAsync() => _site = await TlsSite.StartAsync(certificateLifetime: TimeSpan.FromSeconds(30));

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task TheManagersAndTheAgentsCertificates_AreRenewedInPlace_AndTheSiteKeepsWorking()
    {
        var agent = await _site.StartAgentAsync("rnw", (await _site.Client.CreateJoinTokenAsync(CancellationToken.None)).Token!);
        await _site.WaitForHostsAsync(2);
        await TlsSite.WaitForLogAsync(agent.Logs, "joined ");
        var managerFirst = _site.Tls.Credentials.Current.Certificate!.SerialNumber;
        var firstExpiry = _site.Tls.Credentials.Current.Certificate!.NotAfter.ToUniversalTime();
        var agentFile = Path.Combine(agent.Folder, "tls", "agent.pem");
        var agentFirst = await SerialAsync(agentFile);
        using (var first = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(agentFile)))
        {
            var agentExpiry = first.NotAfter.ToUniversalTime();
            firstExpiry = agentExpiry > firstExpiry ? agentExpiry : firstExpiry;
        }

        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (_site.Tls.Credentials.Current.Certificate!.SerialNumber == managerFirst || await SerialAsync(agentFile) == agentFirst)
        {
            Assert.True(DateTime.UtcNow < deadline, "the certificates were not renewed within 90 s of a 30 s lifetime");
            Assert.All(await _site.Client.ListHostsAsync(CancellationToken.None), h => Assert.Equal("ready", h.State));
            await Task.Delay(250);
        }

        // once the first certificates have expired, whatever is built goes over the renewed ones
        while (DateTime.UtcNow <= firstExpiry.AddSeconds(2))
        {
            await Task.Delay(250);
        }

        var renewed = _site.Tls.Credentials.Current.Certificate!;
        Assert.True(renewed.NotAfter.ToUniversalTime() > DateTime.UtcNow);
        await _site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "after-renewal", Workers = 1, Duration = "1h" }, CancellationToken.None);
        var ready = DateTime.UtcNow.AddSeconds(60);
        while ((await _site.Client.GetClusterAsync("after-renewal", false, CancellationToken.None)).Phase != "Ready")
        {
            Assert.True(DateTime.UtcNow < ready, "the cluster made after the renewals did not become Ready");
            await Task.Delay(50);
        }

        Assert.Contains(_site.Logs.Entries, e => e.Message.Contains("renewed the manager's certificate", StringComparison.Ordinal));
    }

    private static async Task<string?> SerialAsync(string file)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        using var certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(file));
        return certificate.SerialNumber;
    }
}
