using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Vcm.Api;
using Vcm.Manager.OpenApi;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.OpenApi;

/// <summary>
/// Walks the served OpenAPI documents: each route of the application in exactly one of them; every operation with a
/// unique operationId, a security requirement (an empty one only where the route is public), the errors it can
/// answer, and the one problem schema on every error.
/// </summary>
public sealed partial class OpenApiDocumentTests : IAsyncLifetime
{
    /// <summary>The operations that take no bearer token: health, problem pages, and the two that carry a token in their body.</summary>
    private static readonly string[] PublicOperations = ["getHealth", "describeProblemType", "joinSite", "acceptPeer", "signIn", "authMethods", "startSingleSignOn", "signInWithCode"];

    private TestSite _site = null!;
    private Dictionary<string, JsonElement> _documents = null!;

    public async Task InitializeAsync()
    {
        _site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 1);
        _documents = [];
        foreach (var name in ApiDocuments.All.Select(d => d.Name))
        {
            _documents[name] = JsonDocument.Parse(await _site.Anonymous.GetStringAsync($"/openapi/{name}.json")).RootElement.Clone();
        }
    }

    public async Task DisposeAsync() => await _site.DisposeAsync();

    private IEnumerable<(string Document, string Path, string Method, JsonElement Operation)> Operations() =>
        from document in _documents
        from path in document.Value.GetProperty("paths").EnumerateObject()
        from operation in path.Value.EnumerateObject()
        select (document.Key, path.Name, operation.Name.ToUpperInvariant(), operation.Value);

    [Fact]
    public void EveryOperation_HasAUniqueCamelCaseOperationId()
    {
        var ids = Operations().Select(o => o.Operation.TryGetProperty("operationId", out var id) ? id.GetString() : null).ToList();

        Assert.All(ids, id => Assert.Matches(OperationIdPattern(), id ?? ""));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void EveryOperation_NeedsATokenItsDocumentDefines_UnlessExplicitlyPublic()
    {
        foreach (var (document, path, method, operation) in Operations())
        {
            var id = operation.GetProperty("operationId").GetString()!;
            var requirements = operation.GetProperty("security").EnumerateArray().ToList();
            Assert.NotEmpty(requirements);
            var isPublic = requirements.Any(r => !r.EnumerateObject().Any());
            Assert.True(isPublic == PublicOperations.Contains(id), $"{method} {path} ({id}) is {(isPublic ? "" : "not ")}public");

            var schemes = _documents[document].GetProperty("components").GetProperty("securitySchemes");
            foreach (var scheme in requirements.SelectMany(r => r.EnumerateObject()))
            {
                Assert.True(schemes.TryGetProperty(scheme.Name, out _), $"{id} names the scheme {scheme.Name}, which {document} does not define");
            }

            if (!isPublic)
            {
                Assert.True(operation.GetProperty("responses").TryGetProperty("401", out _), $"{id} needs a token but does not list 401");
            }
        }
    }

    [Fact]
    public void EveryOperation_ListsA4xx_AndEveryErrorIsTheProblemSchema()
    {
        foreach (var (document, path, method, operation) in Operations())
        {
            var id = operation.GetProperty("operationId").GetString()!;
            var responses = operation.GetProperty("responses").EnumerateObject().ToList();
            if (id is not ("getHealth" or "authMethods")) // answer 200 or nothing
            {
                Assert.True(responses.Any(r => r.Name.StartsWith('4')), $"{method} {path} lists no 4xx");
            }

            foreach (var error in responses.Where(r => int.Parse(r.Name, System.Globalization.CultureInfo.InvariantCulture) >= 400))
            {
                var content = error.Value.GetProperty("content");
                Assert.Equal(["application/problem+json"], content.EnumerateObject().Select(c => c.Name));
                Assert.Equal("#/components/schemas/Problem", content.GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString());
                Assert.False(string.IsNullOrWhiteSpace(error.Value.GetProperty("description").GetString()), $"{id} {error.Name} has no description");
            }

            Assert.True(_documents[document].GetProperty("components").GetProperty("schemas").TryGetProperty("Problem", out _));
        }
    }

    [Fact]
    public void BodiesAndTypedValues_List400_413_415_AsTheFrameworkAnswersThem()
    {
        var operations = Operations().ToDictionary(o => o.Operation.GetProperty("operationId").GetString()!, o => o.Operation.GetProperty("responses"));

        Assert.True(operations["listClusters"].TryGetProperty("400", out _), "?all= is a boolean");
        Assert.True(operations["addPeer"].TryGetProperty("415", out _), "a JSON body bound by the framework");
        Assert.True(operations["addPeer"].TryGetProperty("413", out _));
        Assert.True(operations["createCluster"].TryGetProperty("413", out _));
        Assert.False(operations["createCluster"].TryGetProperty("415", out _), "createCluster reads any content type as JSON");
        Assert.False(operations["listSites"].TryGetProperty("400", out _), "no value to bind");
        Assert.True(operations["listHosts"].TryGetProperty("400", out _), "limit and cursor are typed values");
    }

    [Fact]
    public void ProblemSchema_DescribesEveryMemberOfProblemView()
    {
        var schemas = _documents["v1"].GetProperty("components").GetProperty("schemas");

        Assert.Equal(
            Members(typeof(ProblemView)).Order(StringComparer.Ordinal),
            Members(typeof(ProblemView)).Where(m => schemas.GetProperty("Problem").GetProperty("properties").TryGetProperty(m, out _)).Order(StringComparer.Ordinal));
        Assert.Equal("#/components/schemas/FieldProblem", schemas.GetProperty("Problem").GetProperty("properties").GetProperty("errors").GetProperty("items").GetProperty("$ref").GetString());
        Assert.All(Members(typeof(FieldProblemView)), m => Assert.True(schemas.GetProperty("FieldProblem").GetProperty("properties").TryGetProperty(m, out _), m));
        Assert.False(schemas.TryGetProperty("ProblemDetails", out _), "the framework's ProblemDetails is replaced by Problem");
    }

    [Fact]
    public void PublicDocument_HoldsNoAgentOrFederationRoute()
    {
        var paths = Paths("v1");

        Assert.Contains("/api/v1/clusters", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/api/v1/agents", StringComparison.Ordinal) || p.StartsWith("/federation", StringComparison.Ordinal)
            || p.StartsWith("/api/v1/packages", StringComparison.Ordinal) || p.StartsWith("/api/v1/images/{name}/", StringComparison.Ordinal));
        Assert.Contains("/api/v1/agents/join", Paths("agent"));
        Assert.Contains("/api/v1/images/{name}/files/{file}", Paths("agent"));
        Assert.Equal(["/federation/v1/capacity", "/federation/v1/parts/{cluster}", "/federation/v1/parts/{cluster}/arrivals/{migration}", "/federation/v1/parts/{cluster}/arrivals/{migration}/complete", "/federation/v1/peers/accept"], Paths("federation").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryRouteOfTheApplication_IsInExactlyOneDocument()
    {
        var routes = _site.Manager.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>() is not null)
            .Select(e => (Path: "/" + e.RoutePattern.RawText!.Trim('/').Replace("{**", "{", StringComparison.Ordinal), Methods: e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods))
            .Where(r => !r.Path.StartsWith("/openapi/", StringComparison.Ordinal))
            .ToList();
        var described = Operations().Select(o => (o.Document, o.Path, o.Method)).ToList();

        Assert.NotEmpty(routes);
        foreach (var (path, methods) in routes)
        {
            foreach (var method in methods)
            {
                var where = described.Where(d => d.Path == path && d.Method == method).Select(d => d.Document).ToList();
                Assert.True(where.Count == 1, $"{method} {path} is described in {where.Count} documents");
                Assert.Equal(ApiDocuments.RuleFor(path, method)!.Document, where[0]);
            }
        }
    }

    private List<string> Paths(string document) => _documents[document].GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

    private static IEnumerable<string> Members(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name));

    [GeneratedRegex("^[a-z][a-zA-Z]+$")]
    private static partial Regex OperationIdPattern();
}
