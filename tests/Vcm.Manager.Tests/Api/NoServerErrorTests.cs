using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Manager.Configuration;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Api;

/// <summary>
/// The requests an outside pass over the API answered with a 500, sent raw through the real Kestrel server: each
/// gets a 4xx problem detail that names its problems, and the database is left exactly as it was.
/// </summary>
public sealed class NoServerErrorTests : IAsyncLifetime
{
    private const string AgentBody = """{"agentId":"agent-x","agentKey":"0123456789abcdef-key","url":"http://127.0.0.1:1","hosts":HOSTS}""";
    private const string GoodHost = """{"name":"hx","cpus":4,"memoryMb":4096,"diskMb":10240,"roles":["compute"],"address":"127.0.0.9","driver":"sim"}""";

    private TestSite _site = null!;

    public async Task InitializeAsync()
    {
        _site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 2, controllers: new ControllerOptions { Enabled = false }, kestrel: true);
        await _site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "taken", Workers = 1, Duration = "2h" }, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _site.DisposeAsync();

    public static TheoryData<string, string, string, string?, string, int, string[]?> Cases() => new()
    {
        // what, path, body, token ("admin" for the admin token), encoding, status, fields named (null: the framework's answer)
        { "join {} without a token", "/api/v1/agents/join", "{}", null, "json", 422, ["agentId", "agentKey", "url", "hosts"] },
        { "join with a null host", "/api/v1/agents/join", AgentBody.Replace("HOSTS", "[null]"), null, "json", 422, ["hosts[0]"] },
        { "join with a host of null fields", "/api/v1/agents/join", AgentBody.Replace("HOSTS", """[{"name":null,"cpus":1,"memoryMb":1,"diskMb":1,"driver":null,"roles":null,"address":null}]"""), null, "json", 422,
            ["hosts[0].name", "hosts[0].driver", "hosts[0].roles", "hosts[0].address"] },
        { "join, hosts not a list", "/api/v1/agents/join", AgentBody.Replace("HOSTS", "7"), null, "json", 400, [""] },
        { "join, not JSON", "/api/v1/agents/join", "{\"agentId\":", null, "json", 400, [""] },
        { "join, JSON null", "/api/v1/agents/join", "null", null, "json", 400, [""] },
        { "join, lone surrogate", "/api/v1/agents/join", AgentBody.Replace("HOSTS", "[]").Replace("agent-x", "\\ud800"), null, "json", 400, [""] },
        { "heartbeat {} with a wrong key", "/api/v1/agents/heartbeat", "{}", "wrong", "json", 401, [] },
        { "heartbeat with a wrong key", "/api/v1/agents/heartbeat", """{"agentId":"agent-in-process","url":"http://x","hosts":[]}""", "wrong", "json", 401, [] },
        { "heartbeat, null hosts, wrong key", "/api/v1/agents/heartbeat", """{"agentId":"agent-in-process","url":"http://x","hosts":[null]}""", "wrong", "json", 401, [] },
        { "heartbeat, not JSON, wrong key (refused before the body is read)", "/api/v1/agents/heartbeat", "[[[", "wrong", "json", 401, [] },
        { "cluster, lone surrogate", "/api/v1/clusters", """{"name":"\ud800","workers":1}""", "admin", "json", 400, ["name"] },
        { "cluster, lone surrogate in a list", "/api/v1/clusters", """{"name":"c","workers":1,"packages":["gcc","\udc00x"]}""", "admin", "json", 400, ["packages[1]"] },
        { "cluster, lone surrogate in a field name", "/api/v1/clusters", """{"name":"c","workers":1,"\ud800":1}""", "admin", "json", 400, [""] },
        { "cluster, invalid UTF-8", "/api/v1/clusters", "{\"name\":\"c\u00ff\",\"workers\":1}", "admin", "latin1", 400, [""] },
        { "cluster, duration overflow", "/api/v1/clusters", """{"name":"c","workers":1,"duration":"99999999d"}""", "admin", "json", 400, ["duration"] },
        { "cluster, weeks overflow", "/api/v1/clusters", """{"name":"c","workers":1,"duration":"99999999w99999999d"}""", "admin", "json", 400, ["duration"] },
        { "cluster, start in year 9999", "/api/v1/clusters", """{"name":"c","workers":1,"start":"9999-12-31T23:30:00Z"}""", "admin", "json", 400, ["start"] },
        { "cluster, start and end in year 9999", "/api/v1/clusters", """{"name":"c","workers":1,"start":"9999-12-31T23:00:00Z","end":"9999-12-31T23:59:59Z"}""", "admin", "json", 400, ["start", "end"] },
        { "cluster, end in year 9999", "/api/v1/clusters", """{"name":"c","workers":1,"end":"9999-12-31T23:59:59Z"}""", "admin", "json", 400, ["end"] },
        // bodies the framework binds: its own 400 (whose detail is the OpenAPI work's), never a 500
        { "peer, lone surrogate", "/api/v1/peers", """{"name":"\ud800","url":"http://127.0.0.1:1","token":"vcmpeer_x"}""", "admin", "json", 400, null },
        { "peer, not JSON", "/api/v1/peers", "{", "admin", "json", 400, null },
        { "peer accept, lone surrogate", "/federation/v1/peers/accept", """{"token":"\ud800","site":"s","url":"http://127.0.0.1:1","key":"k"}""", null, "json", 400, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RawRequest_4xxProblemNamingTheFields_DatabaseUnchanged(
        string what, string path, string body, string? token, string content, int status, string[]? fields)
    {
        var before = await DbSnapshot.TakeAsync(_site.Database);
        var bytes = content == "latin1" ? Encoding.Latin1.GetBytes(body) : Encoding.UTF8.GetBytes(body);

        using var response = await SendAsync(path, new ByteArrayContent(bytes), token);

        Assert.True((int)response.StatusCode == status, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var problem = await Requests.ProblemAsync(response);
        Assert.Equal(status, problem.Status);
        if (fields is not null)
        {
            Assert.False(string.IsNullOrWhiteSpace(problem.Detail), what);
        }

        if (fields is { Length: > 0 })
        {
            Assert.Equal(fields.Order(), problem.Errors!.Select(e => e.Field).Distinct().Order());
        }

        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));
    }

    [Theory]
    [InlineData("/api/v1/clusters", "admin")]
    [InlineData("/api/v1/agents/join", null)]
    [InlineData("/api/v1/tenants", "admin")]
    public async Task BodyOf17MiB_413Problem_DatabaseUnchanged(string path, string? token)
    {
        var before = await DbSnapshot.TakeAsync(_site.Database);
        var body = new byte[17 * 1024 * 1024];
        Array.Fill(body, (byte)' ');
        body[0] = (byte)'{';
        body[^1] = (byte)'}';

        // As curl sends a large body: with "Expect: 100-continue", so that a refusal before the body is read arrives whole.
        using var response = await SendAsync(path, new ByteArrayContent(body), token, expectContinue: true);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await Requests.ProblemAsync(response);
        Assert.Equal(413, problem.Status);
        Assert.Contains("larger", problem.Detail, StringComparison.Ordinal);
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));
    }

    /// <summary>Who is asking is checked before any body is read: a wrong or missing token is 401 however large the body.</summary>
    [Theory]
    [InlineData("/api/v1/agents/heartbeat", "wrong")]
    [InlineData("/api/v1/peers", null)]
    [InlineData("/api/v1/clusters", "wrong")]
    [InlineData("/federation/v1/parts/c1", "wrong")]
    public async Task BodyOf17MiB_WithoutAValidToken_401BeforeTheBodyIsRead(string path, string? token)
    {
        var before = await DbSnapshot.TakeAsync(_site.Database);
        var body = new byte[17 * 1024 * 1024];
        Array.Fill(body, (byte)' ');

        using var response = await SendAsync(path, new ByteArrayContent(body), token, expectContinue: true, method: path.StartsWith("/federation", StringComparison.Ordinal) ? HttpMethod.Put : HttpMethod.Post);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(401, (await Requests.ProblemAsync(response)).Status);
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));
    }

    [Theory]
    [InlineData("GET", "/api/v1/clusters?all=maybe", null)]
    [InlineData("GET", "/api/v1/clusters/taken/events?limit=99999999999", null)]
    [InlineData("GET", "/api/v1/clusters/taken/events?limit=-5", null)]
    [InlineData("GET", "/api/v1/clusters/%ED%A0%80", null)]
    [InlineData("DELETE", "/api/v1/clusters/%ff%fe", null)]
    [InlineData("GET", "/api/v1/clusters/taken/nodes/x/console?bytes=-1", null)]
    [InlineData("GET", "/api/v1/clusters/taken/nodes/head/console?bytes=99999999999", null)]
    [InlineData("GET", "/api/v1/clusters/nope/nodes/head/ssh", null)]
    [InlineData("POST", "/api/v1/peers", "{}")]
    [InlineData("POST", "/api/v1/peers", "null")]
    [InlineData("POST", "/api/v1/peers", "[]")]
    [InlineData("POST", "/api/v1/peers", """{"name":null,"url":7,"token":null}""")]
    [InlineData("DELETE", "/api/v1/images/%2e%2e", null)]
    [InlineData("GET", "/api/v1/images/micro/chunks/x?size=-1", null)]
    [InlineData("GET", "/api/v1/images/micro/chunks/x?size=99999999999", null)]
    [InlineData("GET", "/api/v1/images/..%2f..%2fetc/files/passwd", null)]
    [InlineData("GET", "/api/v1/packages/..%2f..%2fetc%2fpasswd", null)]
    public async Task OtherOddRequests_NeverA5xx_DatabaseUnchanged(string method, string path, string? body)
    {
        var before = await DbSnapshot.TakeAsync(_site.Database);
        using var http = _site.NewHttpClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _site.Manager.AdminToken);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);

        Assert.True((int)response.StatusCode is >= 200 and < 500, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        if ((int)response.StatusCode >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));
    }

    [Fact]
    public async Task PartRequestWithNullNodes_FromAKnownPeer_400()
    {
        // A peer is known by its key; the part request holds a null node and a node without a name.
        var peers = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Vcm.Store.Federation.PeerStore>(_site.Manager.App.Services);
        await peers.SaveAsync("other", "http://other.sites.test", "our-key-0123456789abcdef", "their-key-0123456789abcdef", null, 0, CancellationToken.None);
        var before = await DbSnapshot.TakeAsync(_site.Database);
        using var http = _site.NewHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Put, "/federation/v1/parts/c1")
        {
            Content = new StringContent("""{"clusterId":"c1","spec":null,"vpn":null,"nodes":[null,{"name":null,"role":"worker","index":1}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "their-key-0123456789abcdef");
        request.Headers.Add("X-Vcm-Site", "other");

        using var response = await http.SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Contains((await Requests.ProblemAsync(response)).Errors!, e => e.Field == "nodes");
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));
    }

    private async Task<HttpResponseMessage> SendAsync(string path, HttpContent content, string? token, bool expectContinue = false, HttpMethod? method = null)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var http = _site.NewHttpClient();
        using var request = new HttpRequestMessage(method ?? HttpMethod.Post, path) { Content = content };
        request.Headers.ExpectContinue = expectContinue;
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token == "admin" ? _site.Manager.AdminToken : token);
        }

        return await http.SendAsync(request);
    }
}
