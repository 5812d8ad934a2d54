using System.Net;
using System.Net.Http.Headers;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Manager.Configuration;
using Vcm.Manager.Hosting;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Api;

/// <summary>Every kind of bad request gets a 400 listing every problem, and the database is left exactly as it was.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private TestSite _site = null!;

    public async Task InitializeAsync()
    {
        // Controllers off: nothing but the request under test may write to the database.
        _site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 2, controllers: new ControllerOptions { Enabled = false });
        await _site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "taken", Workers = 1, Duration = "2h" }, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _site.DisposeAsync();

    public static TheoryData<string, string, string[]> Cases() => new()
    {
        { "zero workers", """{"name":"c","workers":0}""", ["workers"] },
        { "negative workers", """{"name":"c","workers":-3}""", ["workers"] },
        { "negative cpus", """{"name":"c","workers":1,"cpus":-1}""", ["cpus"] },
        { "end before start", $$"""{"name":"c","workers":1,"start":"{{Requests.Future(TimeSpan.FromHours(5))}}","end":"{{Requests.Future(TimeSpan.FromHours(4))}}"}""", ["end"] },
        { "start in the past", """{"name":"c","workers":1,"start":"2020-01-01T00:00:00Z"}""", ["start"] },
        { "unknown image", """{"name":"c","workers":1,"image":"windows-95"}""", ["image"] },
        { "bad size", """{"name":"c","workers":1,"memory":"12X"}""", ["memory"] },
        { "unknown fields", """{"name":"c","workers":1,"colour":"red","nodes":5}""", ["colour", "nodes"] },
        { "oversized name", $$"""{"name":"{{new string('a', 200)}}","workers":1}""", ["name"] },
        { "wrong types", """{"name":7,"workers":"three","head":"yes","packages":"gcc"}""", ["name", "workers", "head", "packages"] },
        { "non-integer count", """{"name":"c","workers":2.5}""", ["workers"] },
        { "field twice", """{"name":"c","workers":1,"workers":2}""", ["workers"] },
        { "not private subnet", """{"name":"c","workers":1,"subnet":"8.8.8.0/24"}""", ["subnet"] },
        { "subnet too small", """{"name":"c","workers":30,"subnet":"10.9.0.0/28"}""", ["subnet"] },
        { "bad ssh key", """{"name":"c","workers":1,"sshKeys":["ssh-ed25519 not!base64"]}""", ["sshKeys[0]"] },
        { "unknown role", """{"name":"c","workers":1,"role":"kubernetes"}""", ["role"] },
        { "unknown install", """{"name":"c","workers":1,"install":"pip"}""", ["install"] },
        { "files not a list", """{"name":"c","workers":1,"files":"hello.c"}""", ["files"] },
        {
            "bad files",
            """{"name":"c","workers":1,"files":[7,{"path":"rel/x","content":"!!"},{"path":"/a","mode":"0999","owner":"me"}]}""",
            ["files[0]", "files[1].path", "files[1].content", "files[2].mode", "files[2].owner"]
        },
        {
            "many problems at once",
            """{"name":"Bad Name","workers":0,"memory":"12X","image":"nope","start":"2020-01-01T00:00:00Z","policy":"random","extra":true}""",
            ["name", "workers", "memory", "image", "start", "policy", "extra"]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadSpec_400ListsEveryProblem_DatabaseUnchanged(string what, string body, string[] fields)
    {
        var before = await DbSnapshot.TakeAsync(_site.Database);

        var response = await Requests.PostClusterAsync(_site.Client.Http, body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {response.StatusCode}");
        var problem = await Requests.ProblemAsync(response);
        Assert.Equal(400, problem.Status);
        Assert.Equal(fields.Order(), problem.Errors!.Select(e => e.Field).Distinct().Order());
        Assert.All(problem.Errors!, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));
    }

    [Theory]
    [InlineData("not json at all", "application/json")]
    [InlineData("{\"name\": \"c\", ", "application/json")]
    [InlineData("", "application/json")]
    [InlineData("[1, 2, 3]", "application/json")]
    [InlineData("name=c&workers=1", "application/x-www-form-urlencoded")]
    [InlineData("<cluster/>", "text/xml")]
    public async Task NonJsonBody_400_DatabaseUnchanged(string body, string contentType)
    {
        var before = await DbSnapshot.TakeAsync(_site.Database);

        var response = await Requests.PostClusterAsync(_site.Client.Http, body, contentType);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Requests.ProblemAsync(response);
        Assert.NotEmpty(problem.Errors!);
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token")]
    [InlineData("vcm_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task MissingOrWrongToken_401RevealsNothing_DatabaseUnchanged(string? token)
    {
        var before = await DbSnapshot.TakeAsync(_site.Database);
        using var http = _site.NewHttpClient();
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        foreach (var response in new[]
        {
            await Requests.PostClusterAsync(http, """{"name":"sneaky","workers":1}"""),
            await http.GetAsync("/api/v1/clusters"),
            await http.GetAsync("/api/v1/clusters/taken"),
            await http.DeleteAsync("/api/v1/clusters/taken"),
            await http.GetAsync("/api/v1/hosts"),
        })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("taken", text, StringComparison.Ordinal);
            Assert.DoesNotContain("sim-", text, StringComparison.Ordinal);
        }

        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));
    }

    [Fact]
    public async Task DuplicateName_409NamingTheCluster_DatabaseUnchanged()
    {
        var before = await DbSnapshot.TakeAsync(_site.Database);

        var response = await Requests.PostClusterAsync(_site.Client.Http, """{"name":"taken","workers":1}""");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await Requests.ProblemAsync(response);
        Assert.Equal(409, problem.Status);
        Assert.Contains("A cluster named 'taken' exists already", problem.Detail, StringComparison.Ordinal);
        Assert.Null(problem.EarliestStart);
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));
    }

    [Fact]
    public async Task DuplicateNameAmongOtherProblems_400ListsTheNameToo()
    {
        var response = await Requests.PostClusterAsync(_site.Client.Http, """{"name":"taken","workers":0}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["name", "workers"], (await Requests.ProblemAsync(response)).Errors!.Select(e => e.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task OverCapacity_409WithEarliestStart_DatabaseUnchanged()
    {
        // Two hosts of 32 cpus; "taken" holds 2 cpus for two hours. Ask for nearly everything now.
        var before = await DbSnapshot.TakeAsync(_site.Database);

        var response = await Requests.PostClusterAsync(_site.Client.Http, new { name = "huge", workers = 63, duration = "1h" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await Requests.ProblemAsync(response);
        Assert.NotNull(problem.EarliestStart);
        var taken = await _site.Client.GetClusterAsync("taken", nodes: false, CancellationToken.None);
        Assert.Equal(taken.End, problem.EarliestStart);
        Assert.Contains("fit", problem.Detail, StringComparison.Ordinal);
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));
    }

    [Fact]
    public async Task LargerThanTheSite_409WithoutEarliestStart()
    {
        var response = await Requests.PostClusterAsync(_site.Client.Http, new { name = "never", workers = 200 });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await Requests.ProblemAsync(response);
        Assert.Null(problem.EarliestStart);
    }

    [Fact]
    public async Task EarliestStart_IsReallyAdmittedThere()
    {
        var refused = await Requests.ProblemAsync(await Requests.PostClusterAsync(_site.Client.Http, new { name = "later", workers = 63, duration = "1h" }));

        var admitted = await _site.Client.CreateClusterAsync(
            new ClusterSpecInput { Name = "later", Workers = 63, Start = refused.EarliestStart!.Value.ToString("O"), Duration = "1h" },
            CancellationToken.None);

        Assert.Equal("Scheduled", admitted.Phase);
    }

    [Fact]
    public async Task NonOverlappingWindows_BothAdmittedOnTheSameHosts()
    {
        var first = await _site.Client.CreateClusterAsync(
            new ClusterSpecInput { Name = "w1", Workers = 40, Start = Requests.Future(TimeSpan.FromHours(10)), Duration = "2h" }, CancellationToken.None);
        var second = await _site.Client.CreateClusterAsync(
            new ClusterSpecInput { Name = "w2", Workers = 40, Start = first.End.ToString("O"), Duration = "2h" }, CancellationToken.None);

        Assert.Equal(first.Nodes!.Select(n => n.Host).Distinct().Order(), second.Nodes!.Select(n => n.Host).Distinct().Order());
        var overlapping = await Requests.PostClusterAsync(_site.Client.Http, new { name = "w3", workers = 40, start = first.Start.AddMinutes(30).ToString("O"), duration = "1h" });
        Assert.Equal(HttpStatusCode.Conflict, overlapping.StatusCode);
    }
}
