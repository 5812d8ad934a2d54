using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Vcm.Api;
using Vcm.Drivers.Rpc;
using Vcm.Drivers.Tls;
using Vcm.Testing;
using Vcm.Testing.Lab;
using Xunit;

namespace Vcm.Lab.Tests;

/// <summary>
/// TLS across the lab's processes and namespaces: every agent joined with its join token, holds a certificate the
/// site's CA issued for its own key, and serves only mutual TLS on the management network, as the manager does there;
/// the fixture's clusters were built through them. A certificate of another CA, no certificate and plain HTTP are
/// refused, by the agents and by the manager.
/// </summary>
/// <remarks>A part of <see cref="LabTests"/>, so that it runs on the same lab.</remarks>
public sealed partial class LabTests
{
    [Fact]
    public async Task Tls_AgentsAndTheManager_SpeakOnlyMutualTlsOnTheManagementNetwork_OtherCasAndPlainHttpRefused()
    {
        using var loopback = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var view = await loopback.GetFromJsonAsync<SiteCaView>(lab.Cli.Server + "/api/v1/site/ca", ApiJson.Options);
        using var authority = X509Certificate2.CreateFromPem(view!.Certificate);
        Assert.Equal(view.Fingerprint, CertificateFingerprint.Of(authority));

        // the fixture's clusters were built through agents that serve nothing but mutual TLS
        Assert.Equal("Ready", (await lab.Cli.ShowAsync("c1")).Phase);
        foreach (var host in lab.HostNames)
        {
            var agent = LabAgent.Read(lab.DataDirectory, host);
            Assert.StartsWith("https://", agent.Url, StringComparison.Ordinal);
            var agentId = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(agent.DataFolder, "agent.json"))).RootElement.GetProperty("id").GetString()!;
            var file = Path.Combine(agent.DataFolder, "tls", "agent.pem");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            using var own = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(file));
            Assert.True(SiteTrust.AcceptsClient(own, authority, CertificateRole.Agent), $"{host}'s certificate is not an agent certificate of the site's CA");
            Assert.Equal(agentId, SiteTrust.CommonName(own));

            // one of the site's own gets an answer; another CA's certificate, none, or plain HTTP get nothing
            using (var site = agent.Client(TimeSpan.FromSeconds(10)))
            {
                Assert.Equal(HttpStatusCode.OK, await StatusAsync(site, agent.Url + AgentPaths.Hosts, agent.Key));
            }

            using var foreign = ForeignCertificates.Issue(agentId);
            using (var other = ForeignCertificates.ClientWith(foreign, authority, CertificateRole.Agent))
            {
                await Assert.ThrowsAsync<HttpRequestException>(() => StatusAsync(other, agent.Url + AgentPaths.Hosts, agent.Key));
            }

            using (var none = ForeignCertificates.ClientWith(null, authority, CertificateRole.Agent))
            {
                await Assert.ThrowsAsync<HttpRequestException>(() => StatusAsync(none, agent.Url + AgentPaths.Hosts, agent.Key));
            }

            await AssertPlainHttpRefusedAsync(agent.Url.Replace("https://", "http://", StringComparison.Ordinal) + AgentPaths.Hosts, agent.Key);

            // at the manager, the agent's own key with another CA's certificate: refused
            var mgmt = $"https://192.168.254.1:{new Uri(lab.Cli.Server).Port}";
            using (var other = ForeignCertificates.ClientWith(foreign, authority, CertificateRole.Manager))
            using (var beat = new HttpRequestMessage(HttpMethod.Post, mgmt + AgentPaths.Heartbeat)
            {
                Content = JsonContent.Create(new AgentHeartbeat(agentId, agent.Url, []), options: AgentJson.Options),
            })
            {
                beat.Headers.Authorization = new AuthenticationHeaderValue("Bearer", agent.Key);
                using var refused = await other.SendAsync(beat);
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            }
        }

        // the manager on the management network: its certificate is the site CA's manager certificate for that
        // address (the client checks both); plain HTTP there gets nothing
        var manager = $"https://192.168.254.1:{new Uri(lab.Cli.Server).Port}";
        using (var trusting = ForeignCertificates.ClientWith(null, authority, CertificateRole.Manager))
        {
            Assert.Equal(HttpStatusCode.OK, (await trusting.GetAsync(manager + "/healthz")).StatusCode);
        }

        await AssertPlainHttpRefusedAsync(manager.Replace("https://", "http://", StringComparison.Ordinal) + "/healthz", null);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string url, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Plain HTTP to a TLS port: Kestrel answers what it cannot read with nothing, or a 400 — never the route.</summary>
    private static async Task AssertPlainHttpRefusedAsync(string url, string? key)
    {
        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        try
        {
            using var response = await plain.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        catch (HttpRequestException)
        {
            // refused at the connection
        }
    }
}
