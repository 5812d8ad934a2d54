using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Manager.Configuration;
using Vcm.Store.Records;

namespace Vcm.Manager.Peers;

/// <summary>
/// Calls peers' managers under /federation/v1: each call carries this site's name (X-Vcm-Site) and the key this
/// site presents to that peer (Authorization: Bearer). Failures become <see cref="PeerCallException"/>s that name
/// the peer and say why in one sentence.
/// </summary>
public sealed class FederationClient(PeerTransport transport, LocalSite site, TimeProvider clock)
{
    public const string SiteHeader = "X-Vcm-Site";

    /// <summary>When the caller stops waiting for the answer (Unix ms): a request the peer reads later is refused, not acted on.</summary>
    public const string DeadlineHeader = "X-Vcm-Deadline";

    /// <summary>How long a peer may take to answer one call.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    public Task<PeerAcceptResponse> AcceptAsync(string peerName, string url, PeerAcceptRequest request, CancellationToken cancellationToken) =>
        SendAsync<PeerAcceptResponse>(peerName, url, null, HttpMethod.Post, "federation/v1/peers/accept", request, cancellationToken);

    /// <summary>Asks the peer to admit (or, if it has already, to show) the part of the home cluster <paramref name="cluster"/>.</summary>
    public Task<PartStatus> PutPartAsync(PeerRecord peer, string cluster, PartRequest request, CancellationToken cancellationToken) =>
        SendAsync<PartStatus>(peer.Name, peer.Url, peer.OurKey, HttpMethod.Put, $"federation/v1/parts/{Uri.EscapeDataString(cluster)}", request, cancellationToken);

    /// <summary>The part's status; asking renews the part's lease at the peer.</summary>
    public Task<PartStatus> GetPartAsync(PeerRecord peer, string cluster, CancellationToken cancellationToken) =>
        SendAsync<PartStatus>(peer.Name, peer.Url, peer.OurKey, HttpMethod.Get, $"federation/v1/parts/{Uri.EscapeDataString(cluster)}", null, cancellationToken);

    /// <summary>Asks the peer to release the part; true once it is gone there (false: releasing, ask again).</summary>
    public async Task<bool> DeletePartAsync(PeerRecord peer, string cluster, CancellationToken cancellationToken)
    {
        try
        {
            var status = await SendAsync<PartStatus?>(peer.Name, peer.Url, peer.OurKey, HttpMethod.Delete, $"federation/v1/parts/{Uri.EscapeDataString(cluster)}", null, cancellationToken);
            return status is null || status.Phase == ClusterPhase.Released;
        }
        catch (PeerCallException e) when (e.Failure == PeerFailure.NotFound)
        {
            return true;
        }
    }

    private async Task<T> SendAsync<T>(
        string peerName, string url, string? key, HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(transport.HandlerFor(new Uri(url)), disposeHandler: false)
        {
            BaseAddress = new Uri(url.TrimEnd('/') + "/"),
            Timeout = CallTimeout,
        };
        using var message = new HttpRequestMessage(method, path);
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
