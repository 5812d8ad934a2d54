using System.Net;
using System.Net.Http.Json;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Manager.Configuration;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Api;

/// <summary>List endpoints page by limit and cursor (Link rel=next) and filter; changing requests honour If-Match (412 on a stale ETag).</summary>
public sealed class PagingAndETagTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private TestSite _site = null!;

    public async Task InitializeAsync()
    {
        _site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 4, controllers: new ControllerOptions { Enabled = false });
        foreach (var name in new[] { "p1", "p2", "p3", "p4", "x5" })
        {
            await _site.Client.CreateClusterAsync(new ClusterSpecInput { Name = name, Workers = 1 }, Ct);
        }
    }

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task Clusters_PagedByLinkNext_EachOnce_NewestFirst()
    {
        var names = new List<string>();
        var pages = 0;
        string? next = "/api/v1/clusters?limit=2";
        while (next is not null)
        {
            using var response = await _site.Client.Http.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = (await response.Content.ReadFromJsonAsync<List<ClusterView>>(ApiJson.Options))!;
            Assert.InRange(page.Count, 1, 2);
            names.AddRange(page.Select(c => c.Name));
            next = VcmClient.NextLink(response) is { } link ? "/" + link : null;
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(["x5", "p4", "p3", "p2", "p1"], names);
        Assert.Equal(names, (await _site.Client.ListClustersAsync(false, Ct)).Select(c => c.Name));
    }

    [Fact]
    public async Task Clusters_Filtered_ByPrefixAndPhase_BadQueryListsEveryProblem()
    {
        var prefixed = await _site.Client.Http.GetFromJsonAsync<List<ClusterView>>("/api/v1/clusters?prefix=p&phase=scheduled", ApiJson.Options);
        var released = await _site.Client.Http.GetFromJsonAsync<List<ClusterView>>("/api/v1/clusters?phase=Released", ApiJson.Options);
        using var bad = await _site.Client.Http.GetAsync("/api/v1/clusters?limit=0&cursor=nope&phase=sleeping&site=mars");

        Assert.Equal(["p4", "p3", "p2", "p1"], prefixed!.Select(c => c.Name));
        Assert.Empty(released!);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["cursor", "limit", "phase", "site"], (await Requests.ProblemAsync(bad)).Errors!.Select(e => e.Field).Order());
    }

    [Fact]
    public async Task DeleteCluster_StaleIfMatch_412AndUnchanged_CurrentETagDeletes()
    {
        using var read = await _site.Client.Http.GetAsync("/api/v1/clusters/p2");
        var etag = read.Headers.ETag!.ToString();

        using var stale = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/clusters/p2");
        stale.Headers.TryAddWithoutValidation("If-Match", "W/\"999999\"");
        using var refused = await _site.Client.Http.SendAsync(stale);
        var after = await _site.Client.GetClusterAsync("p2", false, Ct);
        using var current = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/clusters/p2");
        current.Headers.TryAddWithoutValidation("If-Match", etag);
        using var accepted = await _site.Client.Http.SendAsync(current);

        Assert.StartsWith("W/\"", etag, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.PreconditionFailed, refused.StatusCode);
        Assert.Contains("has changed since you read it", (await Requests.ProblemAsync(refused)).Detail, StringComparison.Ordinal);
        Assert.Null(after.DeletionRequestedAt);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }

    [Fact]
    public async Task TenantQuota_StaleIfMatch_412_CurrentChanges()
    {
        await _site.Client.CreateTenantAsync(new TenantCreateRequest("lab", "nodes=4"), Ct);
        using var read = await _site.Client.Http.GetAsync("/api/v1/tenants/lab");
        var etag = read.Headers.ETag!.ToString();
        await _site.Client.SetQuotaAsync("lab", "nodes=5", Ct); // someone else's change

        using var stale = new HttpRequestMessage(HttpMethod.Put, "/api/v1/tenants/lab/quota") { Content = JsonContent.Create(new QuotaRequest("nodes=9"), options: ApiJson.Options) };
        stale.Headers.TryAddWithoutValidation("If-Match", etag);
        using var refused = await _site.Client.Http.SendAsync(stale);

        Assert.Equal(HttpStatusCode.PreconditionFailed, refused.StatusCode);
        Assert.Equal(5L, (await _site.Client.GetTenantAsync("lab", Ct)).Quota.Nodes);
    }
}
