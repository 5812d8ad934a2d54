using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Drivers.Rpc;
using Vcm.Drivers.Tls;
using Vcm.Manager.Tls;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Tls;

/// <summary>
/// A site over TLS on real sockets: an agent joins with a join token that names the site's CA, gets its certificate
/// from a signing request, reports and serves over mutual TLS, and a cluster is built through it. A certificate of
/// another CA, a join token naming another CA and plain HTTP to an agent are each refused.
/// </summary>
public sealed class MutualTlsTests : IAsyncLifetime
{
    private TlsSite _site = null!;

    public async Task InitializeAsync() => _site = await TlsSite.StartAsync();

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task AnAgentJoinsOverTls_GetsACertificateOfTheSiteCa_AndAClusterIsBuiltThroughItOverMutualTls()
    {
        var token = (await _site.Client.CreateJoinTokenAsync(CancellationToken.None)).Token!;
        Assert.Equal(_site.Authority.Fingerprint, SiteToken.Parse(token).CaFingerprint);

        var agent = await _site.StartAgentAsync("tla", token);
        await _site.WaitForHostsAsync(2);
        await TlsSite.WaitForLogAsync(agent.Logs, "joined "); // written after the manager answered

        // the agent keeps the certificate the site's CA issued for its own key, readable by it alone
        var file = Path.Combine(agent.Folder, "tls", "agent.pem");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(file));
        Assert.True(SiteTrust.AcceptsClient(certificate, _site.Authority.Certificate, CertificateRole.Agent));
        Assert.Equal(agent.Identity.Id, SiteTrust.CommonName(certificate));
        Assert.StartsWith("https://", agent.Url, StringComparison.Ordinal);
        Assert.All(await _site.Client.ListHostsAsync(CancellationToken.None), h => Assert.Equal("ready", h.State));

        // the manager drives the agent over mutual TLS: every step of the build goes through it
        await _site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "over-tls", Workers = 1, Duration = "1h" }, CancellationToken.None);
        await WaitForPhaseAsync("over-tls", "Ready");
    }

    [Fact]
    public async Task AJoinTokenNamingAnotherCa_TheAgentDoesNotJoin()
    {
        var token = SiteToken.Parse((await _site.Client.CreateJoinTokenAsync(CancellationToken.None)).Token!);
        var forged = SiteToken.Format(token.Secret, "sha256:" + new string('0', 64));

        var agent = await _site.StartAgentAsync("tlb", forged);

        var line = await TlsSite.WaitForLogAsync(agent.Logs, "not joining");
        Assert.Contains("is not the one the join token names", line, StringComparison.Ordinal);
        Assert.Empty(await _site.Client.ListHostsAsync(CancellationToken.None));
        Assert.False(File.Exists(Path.Combine(agent.Folder, "tls", "agent.pem")));
    }

    [Fact]
    public async Task ACertificateOfAnotherCa_IsRefused_ByTheManagerAndByTheAgent()
    {
        var agent = await _site.StartAgentAsync("tlc", (await _site.Client.CreateJoinTokenAsync(CancellationToken.None)).Token!);
        await _site.WaitForHostsAsync(2);
        using var foreign = ForeignCertificates.Issue(agent.Identity.Id);

        // the agent's own key over TLS, with a certificate of another CA: the manager refuses the report
        using (var http = ForeignCertificates.ClientWith(foreign, _site.Authority.Certificate, CertificateRole.Manager))
        {
            using var beat = new HttpRequestMessage(HttpMethod.Post, _site.Url + AgentPaths.Heartbeat)
            {
                Content = JsonContent.Create(new AgentHeartbeat(agent.Identity.Id, agent.Url, []), options: AgentJson.Options),
            };
            beat.Headers.Authorization = new AuthenticationHeaderValue("Bearer", agent.Identity.Key);
            using var refused = await http.SendAsync(beat);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        // the agent takes no caller whose certificate another CA issued, key or not: the handshake fails
        using (var http = ForeignCertificates.ClientWith(foreign, _site.Authority.Certificate, CertificateRole.Agent))
        {
            using var call = new HttpRequestMessage(HttpMethod.Get, agent.Url + AgentPaths.Hosts);
            call.Headers.Authorization = new AuthenticationHeaderValue("Bearer", agent.Identity.Key);
            // (under TLS 1.3 the client learns it only when the server drops the connection instead of answering)
            var failure = await Assert.ThrowsAsync<HttpRequestException>(() => http.SendAsync(call));
            Assert.Contains(failure.HttpRequestError, new[] { HttpRequestError.SecureConnectionError, HttpRequestError.ResponseEnded });
        }

        // the same call with the manager's certificate goes through
        using (var http = ForeignCertificates.ClientWith(_site.Tls.Credentials.Current.Certificate!, _site.Authority.Certificate, CertificateRole.Agent))
        {
            using var call = new HttpRequestMessage(HttpMethod.Get, agent.Url + AgentPaths.Hosts);
            call.Headers.Authorization = new AuthenticationHeaderValue("Bearer", agent.Identity.Key);
            using var answered = await http.SendAsync(call);
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }
    }

    [Fact]
    public async Task PlainHttpToAnAgent_IsRefused()
    {
        var agent = await _site.StartAgentAsync("tld", (await _site.Client.CreateJoinTokenAsync(CancellationToken.None)).Token!);
        await _site.WaitForHostsAsync(2);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var call = new HttpRequestMessage(HttpMethod.Get, agent.Url.Replace("https://", "http://", StringComparison.Ordinal) + AgentPaths.Hosts);
        call.Headers.Authorization = new AuthenticationHeaderValue("Bearer", agent.Identity.Key);

        // Kestrel answers plain HTTP on a TLS port with nothing it can read, or a 400: never the agent's data
        try
        {
            using var answer = await http.SendAsync(call);
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        }
        catch (HttpRequestException)
        {
            // refused at the connection
        }
    }

    private async Task WaitForPhaseAsync(string cluster, string phase)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        ClusterView view;
        while ((view = await _site.Client.GetClusterAsync(cluster, false, CancellationToken.None)).Phase != phase)
        {
            Assert.True(DateTime.UtcNow < deadline, $"cluster {cluster} is {view.Phase}, not {phase}: {string.Join(" | ", (await _site.Client.ListEventsAsync(cluster, CancellationToken.None)).Select(e => e.Message))}");
            await Task.Delay(50);
        }
    }
}
