using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Manager.Configuration;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Api;

/// <summary>The clusters API on a live manager (real clock, controllers on, simulated hosts).</summary>
public sealed class ClusterApiTests : IAsyncLifetime
{
    private TestSite _site = null!;

    public async Task InitializeAsync() => _site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 4);

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task Create_Valid_Returns201WithNodes_ThenReadyThenReleased()
    {
        var response = await Requests.PostClusterAsync(_site.Client.Http, new { name = "c1", workers = 3 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/api/v1/clusters/c1", response.Headers.Location?.OriginalString);
        var created = (await response.Content.ReadFromJsonAsync<ClusterView>(ApiJson.Options))!;
        Assert.Equal("Scheduled", created.Phase);
        Assert.Equal(["head", "node-01", "node-02", "node-03"], created.Nodes!.Select(n => n.Name));
        Assert.All(created.Nodes!, n => Assert.StartsWith("sim-", n.Host, StringComparison.Ordinal));

        await _site.WaitForPhaseAsync("c1", "Ready");
        var ready = await _site.Client.GetClusterAsync("c1", nodes: true, CancellationToken.None);
        Assert.Equal(4, ready.NodesReady);
        Assert.All(ready.Nodes!, n => Assert.Equal("ready", n.State));
        Assert.Equal(4, _site.Agent.Hosts.ByName.Values.Cast<Vcm.Agent.Sim.SimHost>().Sum(h => h.Inventory().Vms.Count));

        var deleted = await _site.Client.DeleteClusterAsync("c1", CancellationToken.None);
        Assert.NotNull(deleted.DeletionRequestedAt);
        await _site.WaitForPhaseAsync("c1", "Released");
        _site.AssertHostsEmpty();
    }

    [Fact]
    public async Task Create_SameNameAfterRelease_Admitted()
    {
        await _site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "again", Workers = 1 }, CancellationToken.None);
        await _site.Client.DeleteClusterAsync("again", CancellationToken.None);
        await _site.WaitForPhaseAsync("again", "Released");

        var second = await _site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "again", Workers = 1 }, CancellationToken.None);

        Assert.Equal("again", second.Name);
        var all = await _site.Client.ListClustersAsync(all: true, CancellationToken.None);
        Assert.Equal(2, all.Count(c => c.Name == "again"));
    }

    [Fact]
    public async Task Create_WithIdempotencyKey_RepeatReturnsTheFirst()
    {
        var request = new ClusterSpecInput { Name = "idem", Workers = 2 };
        var first = await _site.Client.CreateClusterAsync(request, CancellationToken.None, "key-1");
        var before = await DbSnapshot.TakeAsync(_site.Database);

        var second = await _site.Client.CreateClusterAsync(request, CancellationToken.None, "key-1");

        Assert.Equal(first.Id, second.Id);
        var clusters = (await DbSnapshot.TakeAsync(_site.Database))["clusters"];
        Assert.Single(clusters, row => row.Contains("name=idem|", StringComparison.Ordinal));
        Assert.Equal(before["nodes"].Count, (await DbSnapshot.TakeAsync(_site.Database))["nodes"].Count);
    }

    [Fact]
    public async Task Create_IdempotencyKey_SameRequestOtherwiseWritten_ReturnsTheFirst()
    {
        var first = await PostWithKeyAsync(_site.Manager.AdminToken, "key-same", """{"name":"same","workers":2}""");
        var before = await DbSnapshot.TakeAsync(_site.Database);

        var again = await PostWithKeyAsync(_site.Manager.AdminToken, "key-same", """{ "workers": 2,  "name": "same" }""");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var (a, b) = ((await first.Content.ReadFromJsonAsync<ClusterView>(ApiJson.Options))!, (await again.Content.ReadFromJsonAsync<ClusterView>(ApiJson.Options))!);
        Assert.Equal(a.Id, b.Id);
        Assert.Equal(before["clusters"].Count, (await DbSnapshot.TakeAsync(_site.Database))["clusters"].Count);
    }

    [Fact]
    public async Task Create_IdempotencyKeyWithAnotherRequest_422_DatabaseUnchanged()
    {
        // a site of its own with no controllers: nothing but the refusals can write between the snapshots (a
        // controller's first look at the admitted cluster, late on a loaded machine, once did)
        await using var quiet = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 2, controllers: new ControllerOptions { Enabled = false });
        using var http = quiet.NewHttpClient();
        await PostWithKeyAsync(quiet.Manager.AdminToken, "key-other", """{"name":"first","workers":1,"duration":"1h"}""", http);
        var before = await DbSnapshot.TakeAsync(quiet.Database);

        var other = await PostWithKeyAsync(quiet.Manager.AdminToken, "key-other", """{"name":"second","workers":1}""", http);
        var invalid = await PostWithKeyAsync(quiet.Manager.AdminToken, "key-other", """{"name":"first","workers":0}""", http);

        foreach (var response in new[] { other, invalid })
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            var problem = await Requests.ProblemAsync(response);
            Assert.Equal("Idempotency-Key", Assert.Single(problem.Errors!).Field);
            Assert.Contains("another request", problem.Detail, StringComparison.Ordinal);
        }

        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(quiet.Database)));
    }

    [Fact]
    public async Task Create_IdempotencyKeyWithAnotherRequest_StillRefusedByAManagerStartedAfterwards()
    {
        await PostWithKeyAsync(_site.Manager.AdminToken, "key-restart", """{"name":"kept","workers":1}""");
        using var data = new TempDirectory("vcm-restart");
        var options = new Vcm.Manager.Configuration.ManagerOptions
        {
            DataDirectory = data.Path,
            Store = _site.TestDatabase.Options,
            AdvertiseUrl = TestSite.UrlOf("local"),
            Controllers = new Vcm.Manager.Configuration.ControllerOptions { Enabled = false },
        };
        await using var restarted = await Vcm.Manager.Hosting.ManagerServer.BuildAsync(
            options, CancellationToken.None, agentClient: _site.Agent, configure: b => b.WebHost.UseTestServer());
        await restarted.App.StartAsync();
        try
        {
            using var http = restarted.App.GetTestClient();
            var other = await PostWithKeyAsync(restarted.AdminToken, "key-restart", """{"name":"changed","workers":1}""", http);
            var same = await PostWithKeyAsync(restarted.AdminToken, "key-restart", """{"name":"kept","workers":1}""", http);

            Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
            Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        }
        finally
        {
            await restarted.App.StopAsync();
        }
    }

    private async Task<HttpResponseMessage> PostWithKeyAsync(string token, string key, string body, HttpClient? http = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/clusters")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return await (http ?? _site.NewHttpClient()).SendAsync(request);
    }

    [Fact]
    public async Task Delete_Unknown_404Problem()
    {
        var response = await _site.Client.Http.DeleteAsync("/api/v1/clusters/nope");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await Requests.ProblemAsync(response);
        Assert.Contains("nope", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_Twice_BothAccepted()
    {
        await _site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "twice", Workers = 1 }, CancellationToken.None);
        var first = await _site.Client.Http.DeleteAsync("/api/v1/clusters/twice");
        var second = await _site.Client.Http.DeleteAsync("/api/v1/clusters/twice");
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        await _site.WaitForPhaseAsync("twice", "Released");
    }

    [Fact]
    public async Task Events_TellTheStory()
    {
        await _site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "story", Workers = 1 }, CancellationToken.None);
        await _site.WaitForPhaseAsync("story", "Ready");
        await _site.Client.DeleteClusterAsync("story", CancellationToken.None);
        await _site.WaitForPhaseAsync("story", "Released");

        var events = await _site.Client.ListEventsAsync("story", CancellationToken.None);

        Assert.Equal(["Admitted", "Provisioning", "Ready", "Releasing", "Released"], events.Select(e => e.Reason));
    }

    [Fact]
    public async Task Hosts_FreeCapacity_ShowsWhatIsClaimedNow()
    {
        await _site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "cap", Workers = 3, Cpus = 4, Memory = "1G" }, CancellationToken.None);

        var hosts = await _site.Client.ListHostsAsync(CancellationToken.None);

        Assert.Equal(4, hosts.Count);
        Assert.Equal(4 * 32 - 4 * 4, hosts.Sum(h => h.Free.Cpus));
        Assert.All(hosts, h => Assert.Equal("ready", h.State));
    }

    [Fact]
    public async Task Sites_ListsTheLocalSite()
    {
        var sites = await _site.Client.ListSitesAsync(CancellationToken.None);
        var local = Assert.Single(sites);
        Assert.True(local.Local);
        Assert.Equal(4, local.Hosts);
    }

    [Fact]
    public async Task OpenApi_DescribesTheApi()
    {
        using var document = System.Text.Json.JsonDocument.Parse(await _site.Anonymous.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");

        foreach (var path in new[] { "/api/v1/clusters", "/api/v1/clusters/{name}", "/api/v1/clusters/{name}/events", "/api/v1/hosts", "/api/v1/sites", "/api/v1/peers", "/api/v1/peers/{name}", "/api/v1/peers/tokens" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is not described");
        }

        var body = paths.GetProperty("/api/v1/clusters").GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("properties");
        foreach (var field in new[] { "name", "workers", "memory", "sshKeys", "start", "end", "duration", "policy", "subnet", "sites", "wanRate" })
        {
            Assert.True(body.TryGetProperty(field, out _), $"the create body's schema lacks {field}");
        }

        var workers = body.GetProperty("workers").GetProperty("type").ToString();
        Assert.DoesNotContain("string", workers, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRoute_404Problem()
    {
        var response = await _site.Client.Http.GetAsync("/api/v1/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
