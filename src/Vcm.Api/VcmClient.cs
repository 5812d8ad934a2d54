using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Vcm.Domain.Clusters;

namespace Vcm.Api;

/// <summary>A typed client of the vcm REST API. One made by <see cref="Create"/> owns its HTTP client and disposes it.</summary>
public sealed partial class VcmClient(HttpClient http) : IDisposable
{
    private bool _ownsHttp;

    /// <param name="handler">How to reach the server (a pinned CA's TLS checks); null: the platform's defaults.</param>
    public static VcmClient Create(string server, string? token, TimeSpan? timeout = null, HttpMessageHandler? handler = null)
    {
        var http = (handler is null ? new HttpClient() : new HttpClient(handler));
        http.BaseAddress = new Uri(server.TrimEnd('/') + "/");
        http.Timeout = timeout ?? TimeSpan.FromSeconds(100);
        if (!string.IsNullOrEmpty(token))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return new VcmClient(http) { _ownsHttp = true };
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            http.Dispose();
        }
    }

    public HttpClient Http => http;

    public Task<ClusterView> CreateClusterAsync(ClusterSpecInput request, CancellationToken cancellationToken, string? idempotencyKey = null)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, "api/v1/clusters") { Content = JsonContent.Create(request, options: ApiJson.Options) };
        if (idempotencyKey is not null)
        {
            message.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return SendAsync<ClusterView>(message, cancellationToken);
    }

    /// <summary>Whether the request would be admitted now, with nothing stored (POST …/clusters?dryRun=true).</summary>
    public Task<DryRunView> DryRunClusterAsync(ClusterSpecInput request, CancellationToken cancellationToken) =>
        SendAsync<DryRunView>(new HttpRequestMessage(HttpMethod.Post, "api/v1/clusters?dryRun=true") { Content = JsonContent.Create(request, options: ApiJson.Options) }, cancellationToken);

    /// <summary>The latest events of every cluster the caller sees, newest first.</summary>
    public Task<IReadOnlyList<ClusterEventView>> ListRecentEventsAsync(int? limit, CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<ClusterEventView>>(new HttpRequestMessage(HttpMethod.Get, $"api/v1/events{(limit is { } n ? $"?limit={n}" : "")}"), cancellationToken);

    public Task<NodeUsageView> GetNodeUsageAsync(string cluster, string node, CancellationToken cancellationToken) =>
        SendAsync<NodeUsageView>(new HttpRequestMessage(HttpMethod.Get, $"api/v1/clusters/{Uri.EscapeDataString(cluster)}/nodes/{Uri.EscapeDataString(node)}/usage"), cancellationToken);

    public Task<IReadOnlyList<ClusterView>> ListClustersAsync(bool all, CancellationToken cancellationToken) =>
        ListAllAsync<ClusterView>($"api/v1/clusters{(all ? "?all=true" : "")}", cancellationToken);

    public Task<ClusterView> GetClusterAsync(string name, bool nodes, CancellationToken cancellationToken) =>
        SendAsync<ClusterView>(new HttpRequestMessage(HttpMethod.Get, $"api/v1/clusters/{Uri.EscapeDataString(name)}{(nodes ? "" : "?nodes=false")}"), cancellationToken);

    public Task<ClusterView> DeleteClusterAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<ClusterView>(new HttpRequestMessage(HttpMethod.Delete, $"api/v1/clusters/{Uri.EscapeDataString(name)}"), cancellationToken);

    public Task<ClusterView> ExtendClusterAsync(string name, ExtendRequest request, CancellationToken cancellationToken) =>
        SendAsync<ClusterView>(new HttpRequestMessage(HttpMethod.Post, $"api/v1/clusters/{Uri.EscapeDataString(name)}/extend") { Content = JsonContent.Create(request, options: ApiJson.Options) }, cancellationToken);

    public Task<ClusterView> ResizeClusterAsync(string name, ResizeRequest request, CancellationToken cancellationToken) =>
        SendAsync<ClusterView>(new HttpRequestMessage(HttpMethod.Post, $"api/v1/clusters/{Uri.EscapeDataString(name)}/resize") { Content = JsonContent.Create(request, options: ApiJson.Options) }, cancellationToken);

    public Task<IReadOnlyList<EventView>> ListEventsAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<EventView>>(new HttpRequestMessage(HttpMethod.Get, $"api/v1/clusters/{Uri.EscapeDataString(name)}/events"), cancellationToken);

    /// <summary>Asks for a running node to be live-migrated to another host; answers the migration (202) as admitted.</summary>
    public Task<MigrationView> MigrateNodeAsync(string cluster, string node, MigrateRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<MigrationView>(new HttpRequestMessage(HttpMethod.Post, $"api/v1/clusters/{Uri.EscapeDataString(cluster)}/nodes/{Uri.EscapeDataString(node)}/migrate") { Content = JsonContent.Create(request, options: ApiJson.Options) }, cancellationToken);

    public Task<IReadOnlyList<MigrationView>> MigrationsAsync(string cluster, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<MigrationView>>(new HttpRequestMessage(HttpMethod.Get, $"api/v1/clusters/{Uri.EscapeDataString(cluster)}/migrations"), cancellationToken);

    public Task<MigrationView> MigrationAsync(string cluster, string id, CancellationToken cancellationToken = default) =>
        SendAsync<MigrationView>(new HttpRequestMessage(HttpMethod.Get, $"api/v1/clusters/{Uri.EscapeDataString(cluster)}/migrations/{Uri.EscapeDataString(id)}"), cancellationToken);

    /// <summary>Declares a host of the site dead (its agent silent, the machine gone): what it held is rebuilt on other hosts.</summary>
    public Task<HostRecoveryView> DeclareHostDeadAsync(string host, CancellationToken cancellationToken = default) =>
        SendAsync<HostRecoveryView>(new HttpRequestMessage(HttpMethod.Post, $"api/v1/hosts/{Uri.EscapeDataString(host)}/declare-dead"), cancellationToken);

    /// <summary>Returns a dead host whose agent reports again to service: what vcm had left on it is removed first.</summary>
    public Task<HostReturnView> ReturnHostAsync(string host, CancellationToken cancellationToken = default) =>
        SendAsync<HostReturnView>(new HttpRequestMessage(HttpMethod.Post, $"api/v1/hosts/{Uri.EscapeDataString(host)}/return"), cancellationToken);

    public Task<SshTargetView> GetSshTargetAsync(string cluster, string node, bool admin, CancellationToken cancellationToken) =>
        SendAsync<SshTargetView>(new HttpRequestMessage(HttpMethod.Get, $"api/v1/clusters/{Uri.EscapeDataString(cluster)}/nodes/{Uri.EscapeDataString(node)}/ssh{(admin ? "?admin=true" : "")}"), cancellationToken);

    public async Task<string> GetConsoleAsync(string cluster, string node, int bytes, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, $"api/v1/clusters/{Uri.EscapeDataString(cluster)}/nodes/{Uri.EscapeDataString(node)}/console?bytes={bytes}");
        using var response = await http.SendAsync(message, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new VcmApiException((int)response.StatusCode, await ReadProblemAsync(response, cancellationToken));
        }

        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    public Task<IReadOnlyList<HostView>> ListHostsAsync(CancellationToken cancellationToken) =>
        ListAllAsync<HostView>("api/v1/hosts", cancellationToken);

    public Task<JoinTokenView> CreateJoinTokenAsync(CancellationToken cancellationToken, JoinTokenRequest? request = null) =>
        SendAsync<JoinTokenView>(
            new HttpRequestMessage(HttpMethod.Post, "api/v1/hosts/tokens") { Content = request is null ? null : JsonContent.Create(request, options: ApiJson.Options) },
            cancellationToken);

    public Task<IReadOnlyList<JoinTokenView>> ListJoinTokensAsync(CancellationToken cancellationToken) =>
        ListAllAsync<JoinTokenView>("api/v1/hosts/tokens", cancellationToken);

    public Task RevokeJoinTokenAsync(string id, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"api/v1/hosts/tokens/{Uri.EscapeDataString(id)}"), cancellationToken);

    /// <summary>The site's free capacity over time (with <paramref name="peers"/>, each peer's too); each argument optional (the server's defaults).</summary>
    public Task<CapacityTimelineView> GetCapacityAsync(
        string? from, string? to, string? step, int? cpus, string? memory, string? disk, bool peers, CancellationToken cancellationToken) =>
        SendAsync<CapacityTimelineView>(
            new HttpRequestMessage(HttpMethod.Get, WithQuery(
                "api/v1/capacity", ("from", from), ("to", to), ("step", step), ("cpus", Text(cpus)), ("memory", memory), ("disk", disk), ("peers", peers ? "true" : null))),
            cancellationToken);

    /// <summary>Where a request fits at the site for starts in [from, to]; each argument optional (the server's defaults).</summary>
    public Task<FitWindowsView> GetFitAsync(
        string? from, string? to, long? workers, bool? head, long? cpus, string? memory, string? disk, string? duration, CancellationToken cancellationToken) =>
        SendAsync<FitWindowsView>(
            new HttpRequestMessage(HttpMethod.Get, WithQuery(
                "api/v1/capacity/fit", ("from", from), ("to", to), ("workers", Text(workers)), ("head", head is null ? null : head.Value ? "true" : "false"),
                ("cpus", Text(cpus)), ("memory", memory), ("disk", disk), ("duration", duration))),
            cancellationToken);

    private static string? Text(long? number) => number?.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The path with the given query values (those not null), escaped.</summary>
    private static string WithQuery(string path, params (string Name, string? Value)[] values)
    {
        var query = values.Where(v => v.Value is not null).Select(v => $"{v.Name}={Uri.EscapeDataString(v.Value!)}").ToList();
        return query.Count > 0 ? path + "?" + string.Join('&', query) : path;
    }

    public Task<SiteLimitsView> GetSiteLimitsAsync(CancellationToken cancellationToken) =>
        SendAsync<SiteLimitsView>(new HttpRequestMessage(HttpMethod.Get, "api/v1/site/limits"), cancellationToken);

    public Task<SiteLimitsView> SetSiteLimitsAsync(SiteLimitsRequest request, CancellationToken cancellationToken) =>
        SendAsync<SiteLimitsView>(new HttpRequestMessage(HttpMethod.Put, "api/v1/site/limits") { Content = JsonContent.Create(request, options: ApiJson.Options) }, cancellationToken);

    /// <summary>The site's CA certificate and fingerprint (anyone may ask).</summary>
    public Task<SiteCaView> GetSiteCaAsync(CancellationToken cancellationToken) =>
        SendAsync<SiteCaView>(new HttpRequestMessage(HttpMethod.Get, "api/v1/site/ca"), cancellationToken);

    public Task<IReadOnlyList<SiteView>> ListSitesAsync(CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<SiteView>>(new HttpRequestMessage(HttpMethod.Get, "api/v1/sites"), cancellationToken);

    public Task<IReadOnlyList<PeerView>> ListPeersAsync(CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<PeerView>>(new HttpRequestMessage(HttpMethod.Get, "api/v1/peers"), cancellationToken);

    /// <summary>Registers a peer site (key exchange with its manager); the peer token comes from that site.</summary>
    public Task<PeerView> AddPeerAsync(PeerAddRequest request, CancellationToken cancellationToken) =>
        SendAsync<PeerView>(new HttpRequestMessage(HttpMethod.Post, "api/v1/peers") { Content = JsonContent.Create(request, options: ApiJson.Options) }, cancellationToken);

    public Task<PeerView> RemovePeerAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<PeerView>(new HttpRequestMessage(HttpMethod.Delete, $"api/v1/peers/{Uri.EscapeDataString(name)}"), cancellationToken);

    public Task<IReadOnlyList<ImageView>> ListImagesAsync(CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<ImageView>>(new HttpRequestMessage(HttpMethod.Get, "api/v1/images"), cancellationToken);

    /// <summary>Removes a package-set layer from the site's image store (refused while a live cluster boots from it).</summary>
    public Task<ImageView> RemoveImageAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<ImageView>(new HttpRequestMessage(HttpMethod.Delete, $"api/v1/images/{Uri.EscapeDataString(name)}"), cancellationToken);

    /// <summary>A one-time token another site's admin gives `vcm peer add` there to register this site.</summary>
    public Task<PeerTokenView> CreatePeerTokenAsync(CancellationToken cancellationToken) =>
        SendAsync<PeerTokenView>(new HttpRequestMessage(HttpMethod.Post, "api/v1/peers/tokens"), cancellationToken);

    /// <summary>Every page of a list, following each answer's Link rel="next".</summary>
    private async Task<IReadOnlyList<T>> ListAllAsync<T>(string path, CancellationToken cancellationToken)
    {
        var all = new List<T>();
        string? next = path;
        while (next is not null)
        {
            using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, next), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new VcmApiException((int)response.StatusCode, await ReadProblemAsync(response, cancellationToken));
            }

            all.AddRange((await response.Content.ReadFromJsonAsync<List<T>>(ApiJson.Options, cancellationToken))!);
            next = NextLink(response);
        }

        return all;
    }

    /// <summary>The URL of a Link header's rel="next", relative to the API's base, or null.</summary>
    public static string? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }

        foreach (var link in links.SelectMany(l => l.Split(',')))
        {
            var parts = link.Split(';', StringSplitOptions.TrimEntries);
            if (parts.Length >= 2 && parts.Skip(1).Any(p => p is "rel=\"next\"" or "rel=next") && parts[0].StartsWith('<') && parts[0].EndsWith('>'))
            {
                return parts[0][1..^1].TrimStart('/');
            }
        }

        return null;
    }

    private async Task SendAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        using (message)
        {
            using var response = await http.SendAsync(message, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new VcmApiException((int)response.StatusCode, await ReadProblemAsync(response, cancellationToken));
            }
        }
    }

    private async Task<T> SendAsync<T>(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        using (message)
        {
            using var response = await http.SendAsync(message, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return (await response.Content.ReadFromJsonAsync<T>(ApiJson.Options, cancellationToken))!;
            }

            throw new VcmApiException((int)response.StatusCode, await ReadProblemAsync(response, cancellationToken));
        }
    }

    private static async Task<ProblemView> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            var problem = JsonSerializer.Deserialize<ProblemView>(text, ApiJson.Options);
            if (problem?.Title is not null || problem?.Detail is not null)
            {
                return problem;
            }
        }
        catch (JsonException)
        {
            // not a problem document
        }

        var title = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => "The server refused the token; set VCM_TOKEN or check the token file",
            HttpStatusCode.NotFound => "Not found",
            _ => $"The server answered {(int)response.StatusCode} {response.ReasonPhrase}",
        };
        return new ProblemView { Title = title, Status = (int)response.StatusCode };
    }
}
