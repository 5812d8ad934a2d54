using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vcm.Api;
using Vcm.Manager.Configuration;
using Vcm.Manager.Http;
using Xunit;

namespace Vcm.Manager.Tests.Http;

/// <summary>
/// Every error reaches the client as an RFC 9457 problem with a detail sentence and a type URI that answers a GET —
/// the errors the framework makes (binding, routing, content type, body size, an exception) as well as the handlers'.
/// On a real Kestrel server, whose body limit is the one users meet.
/// </summary>
public sealed class ProblemTests : IAsyncLifetime
{
    private KestrelManager _manager = null!;

    public async Task InitializeAsync() => _manager = await KestrelManager.StartAsync(new FailingImageLayers(), new FailingPackageArchive());

    public async Task DisposeAsync() => await _manager.DisposeAsync();

    [Theory]
    [InlineData("/api/v1/clusters?all=xyz", "all", "xyz")]
    [InlineData("/api/v1/clusters/c1/events?limit=abc", "limit", "abc")]
    [InlineData("/api/v1/clusters/c1/nodes/head/console?bytes=99999999999", "bytes", "99999999999")]
    public async Task BadQueryValue_400ProblemNamingTheParameterAndValue(string path, string parameter, string value)
    {
        var response = await _manager.Admin.GetAsync(path);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid-request");
        Assert.Contains(parameter, problem.Detail, StringComparison.Ordinal);
        Assert.Contains(value, problem.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(_manager.Logs.Entries, e => e.Level >= LogLevel.Error); // the client's error, not the manager's
    }

    [Fact]
    public async Task UnknownRoute_404ProblemNamingThePath()
    {
        var response = await _manager.Admin.GetAsync("/api/v1/nothing-here");

        var problem = await AssertProblemAsync(response, HttpStatusCode.NotFound, "not-found");
        Assert.Contains("GET /api/v1/nothing-here", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongMethod_405ProblemNamingTheMethodsTaken()
    {
        var response = await _manager.Admin.PutAsync("/api/v1/hosts", new StringContent("{}", Encoding.UTF8, "application/json"));

        var problem = await AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed, "method-not-allowed");
        Assert.Contains("PUT", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("GET", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongContentType_415ProblemNamingIt()
    {
        var response = await _manager.Admin.PostAsync("/api/v1/peers", new StringContent("name=b", Encoding.UTF8, "text/plain"));

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        Assert.Contains("text/plain", problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"name\":", "line 1")]
    [InlineData("{\"name\": 5}", "$.name")]
    public async Task MalformedJsonBody_400ProblemSayingWhere(string body, string where)
    {
        var response = await _manager.Admin.PostAsync("/api/v1/peers", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid-request");
        Assert.Contains(where, problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/clusters")] // reads its body itself
    [InlineData("/api/v1/peers")] // bound by the framework
    public async Task BodyOver16MiB_413Problem(string path)
    {
        var body = new ByteArrayContent(new byte[17 * 1024 * 1024]);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        // as curl does for a large body: the manager answers before the body is sent (else the client meets a closed socket)
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body, Headers = { ExpectContinue = true } };

        var response = await _manager.Admin.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "body-too-large");
    }

    [Fact]
    public async Task RangeOutsideAFile_416Problem_WithTheFilesLength()
    {
        Directory.CreateDirectory(Path.Combine(_manager.DataDirectory, "images", "img1"));
        await File.WriteAllTextAsync(Path.Combine(_manager.DataDirectory, "images", "img1", "disk.qcow2"), "hello");
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/images/img1/files/disk.qcow2") { Headers = { Range = new RangeHeaderValue(100, null) } };

        var response = await _manager.Admin.SendAsync(request);

        var problem = await AssertProblemAsync(response, HttpStatusCode.RequestedRangeNotSatisfiable, "range-not-satisfiable");
        Assert.Equal(5, response.Content.Headers.ContentRange?.Length);
        Assert.Contains("Range", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnhandledException_500ProblemWithTraceId_TellsNothingOfTheException_LogsIt()
    {
        var response = await _manager.Admin.GetAsync("/api/v1/images");

        var text = await response.Content.ReadAsStringAsync();
        var problem = await AssertProblemAsync(response, HttpStatusCode.InternalServerError, "internal-error");
        Assert.DoesNotContain(FailingImageLayers.Secret, text, StringComparison.Ordinal);
        var traceId = JsonDocument.Parse(text).RootElement.GetProperty("traceId").GetString()!;
        Assert.Contains(traceId, problem.Detail, StringComparison.Ordinal);
        Assert.Contains(_manager.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains(traceId, StringComparison.Ordinal)
            && e.Exception?.Message == FailingImageLayers.Secret);
    }

    [Fact]
    public async Task HandlersProblems_HaveAbsoluteTypes()
    {
        var notFound = await _manager.Admin.DeleteAsync("/api/v1/clusters/nope");
        var unauthorized = await _manager.Anonymous.GetAsync("/api/v1/hosts");

        await AssertProblemAsync(notFound, HttpStatusCode.NotFound, "not-found");
        await AssertProblemAsync(unauthorized, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task HandlersProblemWithoutAType_KeepsItsTitle_GetsTheTypeOfItsStatus()
    {
        var response = await _manager.Admin.GetAsync("/api/v1/packages/debian/dists/bookworm/InRelease");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadGateway, "bad-gateway");
        Assert.Equal("The site's package cache could not get the file", problem.Title);
        Assert.Contains("the mirror did not answer", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryProblemType_ItsUriAnswersAPage_AndJson()
    {
        foreach (var type in ProblemTypes.All)
        {
            var uri = _manager.Url + type.Path;

            var page = await _manager.Anonymous.GetAsync(uri);
            var json = await _manager.Anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Get, uri) { Headers = { Accept = { new("application/json") } } });

            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.Contains(WebUtility.HtmlEncode(type.Title), await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, json.StatusCode);
            var view = JsonDocument.Parse(await json.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(uri, view.GetProperty("type").GetString());
            Assert.Equal(type.Title, view.GetProperty("title").GetString());
        }
    }

    [Fact]
    public async Task UnknownProblemType_404Problem()
    {
        var response = await _manager.Anonymous.GetAsync("/problems/no-such-thing");

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public void EveryTypeAHandlerNames_IsInTheCatalogue()
    {
        var named = typeof(Problems).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name.EndsWith("Type", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.NotEmpty(named);
        Assert.All(named, path => Assert.NotNull(ProblemTypes.FromPath(path)));
    }

    [Fact]
    public void EveryStatus_HasATypeOfThatStatus_OrTheGeneralOne()
    {
        Assert.Equal("bad-gateway", ProblemTypes.ForStatus(502).Slug);
        Assert.Equal("conflict", ProblemTypes.ForStatus(409).Slug);
        Assert.Equal("error", ProblemTypes.ForStatus(418).Slug);
        Assert.Equal(ProblemTypes.All.Count, ProblemTypes.All.Select(t => t.Slug).Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("http://0.0.0.0:8710", "http://manager.example:8710")]
    [InlineData("http://[::]:8710", "http://manager.example:8710")]
    [InlineData("https://vcm.example.org:8443/", "https://vcm.example.org:8443")]
    public void TypeUris_UnderTheAdvertisedUrl_OrTheRequestsHostWhenThatIsAWildcard(string advertised, string expected)
    {
        var services = new ServiceCollection().AddSingleton(new LocalSite("s1", "local", 1, 2) { Url = advertised }).BuildServiceProvider();
        var http = new DefaultHttpContext { RequestServices = services };
        http.Request.Scheme = "http";
        http.Request.Host = new HostString("manager.example:8710");

        Assert.Equal(expected, ProblemCompletion.BaseUrl(http));
    }

    /// <summary>Checks the response is a complete problem of the status and type, and returns it.</summary>
    private async Task<ProblemView> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string slug)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<ProblemView>(await response.Content.ReadAsStringAsync(), ApiJson.Options)!;
        Assert.Equal($"{_manager.Url}/problems/{slug}", problem.Type);
        Assert.Equal((int)status, problem.Status);
        Assert.False(string.IsNullOrWhiteSpace(problem.Title));
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
        return problem;
    }
}
