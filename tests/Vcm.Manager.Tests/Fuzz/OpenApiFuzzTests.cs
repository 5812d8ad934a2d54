using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Manager.Configuration;
using Vcm.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Vcm.Manager.Tests.Fuzz;

/// <summary>
/// A bounded fuzz pass over every operation of the three OpenAPI documents: odd path values, wrong-typed, huge and
/// negative query values, malformed bodies and bodies with each property of the operation's schema replaced by a wrong
/// type, a huge or negative number or a 100 KB string — each sent with no token, a reader's, a member's, a
/// tenant-admin's, the provider's and an agent's key (and a few with a wrong token). No answer may be a 5xx, and every refused request
/// leaves the database as it was (the audit trail aside: refusals are recorded there by design).
/// </summary>
public sealed class OpenApiFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int WrongTokenCases = 20; // fewer than the 30 a minute that would make the address wait (429)
    private static readonly string Huge = new('x', 100 * 1024);
    private static readonly string[] PathValues = ["ca", "nothing", "-1", "..", "%2e%2e%2f", "%00", "%F0%9F%92%A5", Huge[..5000], "a b"];
    private static readonly string[] QueryValues = ["-1", "0", "abc", "99999999999999999999", "true", "%00", Huge[..5000], "1e308", ""];

    private TestSite _site = null!;
    private readonly Dictionary<string, string?> _tokens = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        _site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 3, controllers: new ControllerOptions { Enabled = false }, kestrel: true);
        var ct = CancellationToken.None;
        await _site.Client.CreateTenantAsync(new TenantCreateRequest("a", "nodes=16"), ct);
        foreach (var role in new[] { "reader", "member", "tenant-admin" })
        {
            await _site.Client.CreateUserAsync(new UserCreateRequest("a-" + role, "a", role, null), ct);
            _tokens[role] = (await _site.Client.CreateTokenAsync(new TokenCreateRequest("a-" + role, "fuzz", null), ct)).Secret;
        }

        _tokens["provider"] = _site.Manager.AdminToken;
        _tokens["agent"] = "in-process-key-0123456789"; // the key TestSite's in-process agent joined with
        _tokens["none"] = null;
        using var member = _site.ClientWith(_tokens["member"]!);
        await member.CreateClusterAsync(new ClusterSpecInput { Name = "ca", Workers = 1 }, ct);
    }

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task EveryOperation_OddInput_EveryRole_No5xx_RefusalsChangeNothing()
    {
        var random = new Random(20261206);
        var failures = new List<string>();
        var sent = 0;
        var wrongTokens = 0;
        var current = await DbSnapshot.TakeAsync(_site.Database);
        foreach (var (method, path, operation, document) in await OperationsAsync())
        {
            foreach (var (url, body, contentType) in Cases(path, method, operation, document, random))
            {
                foreach (var who in _tokens.Keys.Append("wrong"))
                {
                    if (who == "wrong" && ++wrongTokens > WrongTokenCases)
                    {
                        continue;
                    }

                    var (status, text) = await SendAsync(method, url, body, contentType, who == "wrong" ? "vcmu_wrong" : _tokens[who]);
                    sent++;
                    var after = await DbSnapshot.TakeAsync(_site.Database);
                    if ((int)status >= 500)
                    {
                        failures.Add($"{method} {Short(url)} as {who}: {(int)status} {Short(text)}");
                    }
                    else if ((int)status >= 400 && DbSnapshot.Diff(current, after) is { Length: > 0 } diff)
                    {
                        failures.Add($"{method} {Short(url)} as {who}: refused {(int)status} but changed the database: {Short(diff)}");
                    }

                    current = after; // what a request that succeeded changed is the next one's starting point
                }
            }
        }

        output.WriteLine($"{sent} requests");
        Assert.True(sent > 1000, $"only {sent} requests");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(30)));
    }

    private async Task<List<(string Method, string Path, JsonElement Operation, JsonElement Document)>> OperationsAsync()
    {
        var operations = new List<(string, string, JsonElement, JsonElement)>();
        foreach (var name in new[] { "v1", "agent", "federation" })
        {
            var document = JsonDocument.Parse(await _site.NewHttpClient().GetStringAsync($"/openapi/{name}.json")).RootElement.Clone();
            foreach (var path in document.GetProperty("paths").EnumerateObject())
            {
                foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "delete"))
                {
                    operations.Add((operation.Name.ToUpperInvariant(), path.Name, operation.Value, document));
                }
            }
        }

        Assert.True(operations.Count > 30, $"only {operations.Count} operations");
        return operations;
    }

    /// <summary>The requests for one operation: path values, query values, then bodies — a bounded, seeded sample.</summary>
    private static IEnumerable<(string Url, string? Body, string ContentType)> Cases(string path, string method, JsonElement operation, JsonElement document, Random random)
    {
        var pathParams = System.Text.RegularExpressions.Regex.Matches(path, @"\{([^}]+)\}").Select(m => m.Value).ToList();
        string Fill(string value) => pathParams.Aggregate(path, (p, param) => p.Replace(param, param == "{path}" ? "dists/x" : value, StringComparison.Ordinal));

        var queries = operation.TryGetProperty("parameters", out var parameters)
            ? parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()!).ToList()
            : [];
        var hasBody = method is "POST" or "PUT";
        var baseBody = hasBody ? "{}" : null;

        foreach (var value in pathParams.Count == 0 ? [""] : PathValues.OrderBy(_ => random.Next()).Take(4))
        {
            yield return (Fill(value), baseBody, "application/json");
        }

        foreach (var query in queries)
        {
            foreach (var value in QueryValues.OrderBy(_ => random.Next()).Take(3))
            {
                yield return ($"{Fill("ca")}?{query}={Uri.EscapeDataString(value)}", baseBody, "application/json");
            }
        }

        if (!hasBody)
        {
            yield break;
        }

        foreach (var body in new[] { "{", "[]", "null", "\"text\"", "{\"a\":", "{}" + Huge[..10], "{\"name\":\"\\ud800\"}" })
        {
            yield return (Fill("ca"), body, "application/json");
        }

        yield return (Fill("ca"), "name=x", "text/plain");
        foreach (var property in BodyProperties(operation, document))
        {
            foreach (var value in new object?[] { 123, -1, 1e308, "x", Huge, true, null, new[] { 1 }, new Dictionary<string, int> { ["a"] = 1 } }.OrderBy(_ => random.Next()).Take(3))
            {
                yield return (Fill("ca"), JsonSerializer.Serialize(new Dictionary<string, object?> { [property] = value, ["name"] = "fz" + random.Next(1000) }), "application/json");
            }
        }
    }

    private static IEnumerable<string> BodyProperties(JsonElement operation, JsonElement document)
    {
        if (!operation.TryGetProperty("requestBody", out var requestBody)
            || !requestBody.GetProperty("content").EnumerateObject().FirstOrDefault().Value.TryGetProperty("schema", out var schema))
        {
            return [];
        }

        if (schema.TryGetProperty("$ref", out var reference))
        {
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
        }

        return schema.TryGetProperty("properties", out var properties) ? properties.EnumerateObject().Select(p => p.Name).ToList() : [];
    }

    private async Task<(HttpStatusCode Status, string Text)> SendAsync(string method, string url, string? body, string contentType, string? token)
    {
        using var http = _site.NewHttpClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType);
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Short(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
