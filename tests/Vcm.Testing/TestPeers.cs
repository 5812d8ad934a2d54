using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.AspNetCore.TestHost;
using Vcm.Manager.Peers;

namespace Vcm.Testing;

/// <summary>
/// Routes federation calls between test sites' in-memory servers by the host name of their URL. A site that is
/// not registered, or is marked down, does not answer (as a manager that is off).
/// </summary>
public sealed class TestPeers : PeerTransport
{
    private readonly ConcurrentDictionary<string, TestSite> _sites = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, bool> _down = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, bool> _losePuts = new(StringComparer.OrdinalIgnoreCase);

    public void Register(TestSite site) => _sites[new Uri(TestSite.UrlOf(site.Manager.Site.Name)).Host] = site;

    /// <summary>Makes a site unreachable (true) or reachable again (false).</summary>
    public void SetDown(string siteName, bool down) => _down[new Uri(TestSite.UrlOf(siteName)).Host] = down;

    /// <summary>The site acts on PUT requests but its answers are lost on the way back (the caller times out).</summary>
    public void SetLosePutAnswers(string siteName, bool lose) => _losePuts[new Uri(TestSite.UrlOf(siteName)).Host] = lose;

    public override HttpMessageHandler HandlerFor(Uri url, Vcm.Drivers.Tls.TlsCredentials own, System.Security.Cryptography.X509Certificates.X509Certificate2? authority) => new Router(this);

    private sealed class Router(TestPeers peers) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var host = request.RequestUri!.Host;
            if (!peers._sites.TryGetValue(host, out var site) || peers._down.GetValueOrDefault(host))
            {
                throw new HttpRequestException(HttpRequestError.ConnectionError, $"Connection refused ({host}:80)", new SocketException((int)SocketError.ConnectionRefused));
            }

            using var invoker = new HttpMessageInvoker(site.Manager.App.GetTestServer().CreateHandler(), disposeHandler: true);
            var response = await invoker.SendAsync(request, cancellationToken);
            if (request.Method == HttpMethod.Put && peers._losePuts.GetValueOrDefault(host))
            {
                response.Dispose();
                throw new TaskCanceledException("the answer was lost (as HttpClient reports a timeout)");
            }

            return response;
        }
    }
}
