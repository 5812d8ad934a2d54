using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Drivers.Tls;
using Vcm.Manager.Configuration;
using Vcm.Manager.Tls;
using Vcm.Store.Records;

namespace Vcm.Manager.Peers;

/// <summary>
/// Calls peers' managers under /federation/v1: each call carries this site's name (X-Vcm-Site) and the key this
/// site presents to that peer (Authorization: Bearer). Failures become <see cref="PeerCallException"/>s that name
/// the peer and say why in one sentence.
/// </summary>
public sealed class FederationClient(PeerTransport transport, LocalSite site, ManagerTls tls, PeerAuthorities authorities, TimeProvider clock)
{
    public const string SiteHeader = "X-Vcm-Site";

    /// <summary>When the caller stops waiting for the answer (Unix ms): a request the peer reads later is refused, not acted on.</summary>
    public const string DeadlineHeader = "X-Vcm-Deadline";

    /// <summary>How long a peer may take to answer one call.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    public Task<PeerAcceptResponse> AcceptAsync(string peerName, string url, X509Certificate2? authority, PeerAcceptRequest request, CancellationToken cancellationToken) =>
        SendAsync<PeerAcceptResponse>(peerName, url, null, authority, HttpMethod.Post, "federation/v1/peers/accept", request, cancellationToken);

    /// <summary>
    /// The peer's CA certificate, taken only when its fingerprint is <paramref name="fingerprint"/> (from the peer
    /// token): the one call that accepts any server certificate, since what it fetches is checked by its hash.
    /// </summary>
    public async Task<X509Certificate2> GetAuthorityAsync(string peerName, string url, string fingerprint, CancellationToken cancellationToken)
    {
        var view = await SendAsync<SiteCaView>(peerName, url, null, null, HttpMethod.Get, "api/v1/site/ca", null, cancellationToken);
        X509Certificate2 authority;
        try
        {
            authority = X509Certificate2.CreateFromPem(view.Certificate);
        }
        catch (CryptographicException e)
        {
            throw new PeerCallException(peerName, PeerFailure.Refused, $"site {peerName}'s manager at {url} answered no usable CA certificate", null, e);
        }

        if (!CertificateFingerprint.Matches(authority, fingerprint))
        {
            throw new PeerCallException(
                peerName, PeerFailure.Refused,
                $"site {peerName}'s manager at {url} shows a CA certificate ({CertificateFingerprint.Of(authority)}) that is not the one the peer token names ({fingerprint}); nothing was added");
        }

        return authority;
    }

    /// <summary>Asks the peer to admit (or, if it has already, to show) the part of the home cluster <paramref name="cluster"/>.</summary>
    public Task<PartStatus> PutPartAsync(PeerRecord peer, string cluster, PartRequest request, CancellationToken cancellationToken) =>
        SendAsync<PartStatus>(peer.Name, peer.Url, peer.OurKey, authorities.For(peer), HttpMethod.Put, $"federation/v1/parts/{Uri.EscapeDataString(cluster)}", request, cancellationToken);

    /// <summary>The part's status; asking renews the part's lease at the peer.</summary>
    public Task<PartStatus> GetPartAsync(PeerRecord peer, string cluster, CancellationToken cancellationToken) =>
        SendAsync<PartStatus>(peer.Name, peer.Url, peer.OurKey, authorities.For(peer), HttpMethod.Get, $"federation/v1/parts/{Uri.EscapeDataString(cluster)}", null, cancellationToken);

    /// <summary>Asks the peer to take a node of the home cluster <paramref name="cluster"/> by a live migration (or, asked again, how its arrival goes).</summary>
    public Task<ArrivalStatus> PutArrivalAsync(PeerRecord peer, string cluster, string migration, ArrivalRequest request, CancellationToken cancellationToken) =>
        SendAsync<ArrivalStatus>(peer.Name, peer.Url, peer.OurKey, authorities.For(peer), HttpMethod.Put, ArrivalPath(cluster, migration), request, cancellationToken);

    /// <summary>Tells the peer that the arriving node switched over: its copy there is the node now.</summary>
    public Task<ArrivalStatus> CompleteArrivalAsync(PeerRecord peer, string cluster, string migration, CancellationToken cancellationToken) =>
        SendAsync<ArrivalStatus>(peer.Name, peer.Url, peer.OurKey, authorities.For(peer), HttpMethod.Post, ArrivalPath(cluster, migration) + "/complete", null, cancellationToken);

    /// <summary>Tells the peer that the arrival is given up (the node stays at the home); true once nothing of it is left there.</summary>
    public async Task<bool> DeleteArrivalAsync(PeerRecord peer, string cluster, string migration, CancellationToken cancellationToken)
    {
        try
        {
            var status = await SendAsync<ArrivalStatus>(peer.Name, peer.Url, peer.OurKey, authorities.For(peer), HttpMethod.Delete, ArrivalPath(cluster, migration), null, cancellationToken);
            return status.State == Domain.Moves.MigrationState.Failed;
        }
        catch (PeerCallException e) when (e.Failure == PeerFailure.NotFound)
        {
            return true;
        }
    }

    private static string ArrivalPath(string cluster, string migration) =>
        $"federation/v1/parts/{Uri.EscapeDataString(cluster)}/arrivals/{Uri.EscapeDataString(migration)}";

    /// <summary>The peer's free capacity over the steps <paramref name="query"/> asks for (a query string: from, to, step and the node shape).</summary>
    public Task<CapacityTimelineView> GetCapacityAsync(PeerRecord peer, string query, CancellationToken cancellationToken) =>
        SendAsync<CapacityTimelineView>(peer.Name, peer.Url, peer.OurKey, authorities.For(peer), HttpMethod.Get, "federation/v1/capacity" + query, null, cancellationToken);

    /// <summary>Asks the peer to release the part; true once it is gone there (false: releasing, ask again).</summary>
    public async Task<bool> DeletePartAsync(PeerRecord peer, string cluster, CancellationToken cancellationToken)
    {
        try
        {
            var status = await SendAsync<PartStatus?>(peer.Name, peer.Url, peer.OurKey, authorities.For(peer), HttpMethod.Delete, $"federation/v1/parts/{Uri.EscapeDataString(cluster)}", null, cancellationToken);
            return status is null || status.Phase == ClusterPhase.Released;
        }
        catch (PeerCallException e) when (e.Failure == PeerFailure.NotFound)
        {
            return true;
        }
    }

    private async Task<T> SendAsync<T>(
        string peerName, string url, string? key, X509Certificate2? authority, HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        if (url.StartsWith("https:", StringComparison.OrdinalIgnoreCase) && authority is null && path != "api/v1/site/ca")
        {
            throw new PeerCallException(peerName, PeerFailure.Refused, $"site {peerName} was added without its CA certificate, so its manager at {url} cannot be trusted over HTTPS: add the peer again");
        }

        using var http = new HttpClient(transport.HandlerFor(new Uri(url), tls.Credentials, authority), disposeHandler: false)
        {
            BaseAddress = new Uri(url.TrimEnd('/') + "/"),
            Timeout = CallTimeout,
        };
        // HTTP/2 over TLS (ALPN; plain HTTP stays 1.1): every call to a peer shares one connection, so a call made while
        // the peer is stalled is written into that connection and read when it resumes, instead of waiting on a new
        // connection's handshake that the stalled peer never answers
        using var message = new HttpRequestMessage(method, path) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };
        message.Headers.Add(SiteHeader, site.Name);
        message.Headers.Add(DeadlineHeader, (clock.GetUtcNow() + CallTimeout).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (key is not null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (body is not null)
        {
            message.Content = JsonContent.Create(body, body.GetType(), options: ApiJson.Options);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, cancellationToken);
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.SecureConnectionError && !cancellationToken.IsCancellationRequested)
        {
            throw new PeerCallException(
                peerName, PeerFailure.Unreachable,
                $"site {peerName}'s manager at {url} did not prove itself with a manager certificate of the CA pinned for it, so nothing was sent ({(e.InnerException ?? e).Message.TrimEnd('.')})",
                null, e)
            {
                NotDelivered = true,
            };
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var why = e is TaskCanceledException ? $"did not answer within {CallTimeout.TotalSeconds:0} s" : $"could not be reached ({e.Message.TrimEnd('.')})";
            throw new PeerCallException(peerName, PeerFailure.Unreachable, $"site {peerName}'s manager at {url} {why}", null, e)
            {
                NotDelivered = e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError },
            };
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                return default!;
            }

            if (response.IsSuccessStatusCode)
            {
                try
                {
                    return (await response.Content.ReadFromJsonAsync<T>(ApiJson.Options, cancellationToken))!;
                }
                catch (JsonException e)
                {
                    throw new PeerCallException(peerName, PeerFailure.Unreachable, $"site {peerName}'s manager at {url} answered something that is not vcm's federation protocol", (int)response.StatusCode, e);
                }
            }

            var problem = await ReadProblemAsync(response, cancellationToken);
            var status = (int)response.StatusCode;
            var (failure, sentence) = response.StatusCode switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                    (PeerFailure.Unauthorized, key is null
                        ? $"site {peerName} refused the peer token ({problem}): make a new one there with `vcm peer token`"
                        : $"site {peerName} does not accept this site's key ({problem}): add the peer again on both sides"),
                HttpStatusCode.NotFound => (PeerFailure.NotFound, $"site {peerName} has no such part ({problem})"),
                HttpStatusCode.Conflict => (PeerFailure.NoCapacity, $"site {peerName} refused: {problem}"),
                HttpStatusCode.BadRequest => (PeerFailure.Refused, $"site {peerName} refused the request: {problem}"),
                _ => (PeerFailure.Unreachable, $"site {peerName}'s manager at {url} answered {status}: {problem}"),
            };
            throw new PeerCallException(peerName, failure, sentence, status);
        }
    }

    private static async Task<string> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            var problem = JsonSerializer.Deserialize<ProblemView>(text, ApiJson.Options);
            var said = problem?.Detail ?? problem?.Title;
            if (said is not null)
            {
                return said.TrimEnd('.');
            }
        }
        catch (JsonException)
        {
            // not a problem document
        }

        return $"{(int)response.StatusCode} {response.ReasonPhrase}";
    }
}
