using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Federation;

/// <summary>
/// A cluster's spec has one shape: every field of the create request (but how the window is given) is a field of the
/// spec, and a value set on create shows the same in the cluster's view, in the part a peer site builds of it, and
/// in the OpenAPI document — so a field added to the spec cannot be forgotten in one of them.
/// </summary>
public sealed class SpecShapeTests : IAsyncLifetime
{
    /// <summary>A value for every field of the request; the test fails when the request gains a field not listed here.</summary>
    private static readonly Dictionary<string, object> Values = new(StringComparer.Ordinal)
    {
        ["name"] = "full",
        ["workers"] = 2L,
        ["head"] = true,
        ["cpus"] = 2L,
        ["memory"] = "1G",
        ["disk"] = "4G",
        ["shared"] = "1G",
        ["image"] = "debian-12",
        ["packages"] = new[] { "htop" },
        ["sshKeys"] = new[] { "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGmJLlpPKExDj0XQHQWSawdxfisEofdkULgUOii7IaUp tenant@example" },
        ["start"] = "2031-01-06T09:00:00Z",
        ["end"] = "2031-01-06T12:00:00Z",
        ["sites"] = new[] { "a:2", "b:1" },
        ["policy"] = "spread",
        ["subnet"] = "10.88.0.0/24",
        ["wanRate"] = "50M",
        ["install"] = "boot",
        ["role"] = "slurm",
        ["files"] = new[] { new Dictionary<string, string> { ["path"] = "/home/hello.c", ["mode"] = "0644", ["content"] = "aGk=" } },
    };

    /// <summary>
    /// Request fields that say the same as others in another way: the window as a length instead of an end, a flexible
    /// start's latest start (the spec holds the start chosen), and users whose registered keys join sshKeys.
    /// </summary>
    private static readonly string[] InputOnly = ["duration", "latestStart", "keysOf"];

    /// <summary>What a part at a peer keeps differently from its home: its own name, no shared volume (that stays home), no sites.</summary>
    private static readonly string[] DifferentInAPart = ["name", "shared", "sites"];

    private readonly TestPeers _peers = new();
    private TestSite _a = null!;
    private TestSite _b = null!;

    public async Task InitializeAsync()
    {
        _a = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 3, siteName: "a", peers: _peers);
        _b = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 3, siteName: "b", peers: _peers);
        _peers.Register(_a);
        _peers.Register(_b);
        var token = await _b.Client.CreatePeerTokenAsync(CancellationToken.None);
        await _a.Client.AddPeerAsync(new PeerAddRequest("b", TestSite.UrlOf("b"), token.Token), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public void EveryRequestField_IsASpecField_AndBack()
    {
        var request = Names<ClusterSpecInput>();
        var spec = Names<ClusterSpec>();

        Assert.Equal(request.Except(InputOnly).Order(StringComparer.Ordinal), spec.Order(StringComparer.Ordinal));
        Assert.Equal(request.Order(StringComparer.Ordinal), Values.Keys.Concat(InputOnly).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task EveryField_SetOnCreate_ShowsInTheView_InThePeersPart_AndInTheOpenApiDocument()
    {
        var body = JsonSerializer.SerializeToElement(Values, ApiJson.Options);
        var created = await _a.Client.Http.PostAsync("api/v1/clusters", new StringContent(body.GetRawText(), System.Text.Encoding.UTF8, "application/json"));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());

        var home = await SpecOfAsync(_a, "full");
        var part = await SpecOfAsync(_b, "full@a");
        foreach (var (field, value) in Values)
        {
            var expected = JsonSerializer.SerializeToElement(value, ApiJson.Options);
            AssertSame(field, expected, home.GetProperty(field), "the cluster's view");
            if (!DifferentInAPart.Contains(field))
            {
                AssertSame(field, expected, part.GetProperty(field), "the part at site b");
            }
        }

        Assert.Equal("full@a", part.GetProperty("name").GetString());
        Assert.False(part.TryGetProperty("shared", out _));

        using var openApi = JsonDocument.Parse(await _a.Anonymous.GetStringAsync("/openapi/v1.json"));
        var schemas = openApi.RootElement.GetProperty("components").GetProperty("schemas");
        var paths = openApi.RootElement.GetProperty("paths");
        var requestSchema = Resolve(schemas, paths.GetProperty("/api/v1/clusters").GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema")).GetProperty("properties");
        var viewSchema = Resolve(schemas, paths.GetProperty("/api/v1/clusters/{name}").GetProperty("get").GetProperty("responses").GetProperty("200")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        var specSchema = Resolve(schemas, viewSchema.GetProperty("properties").GetProperty("spec")).GetProperty("properties");
        foreach (var field in InputOnly)
        {
            Assert.True(requestSchema.TryGetProperty(field, out _), $"the create request's schema lacks {field}");
        }

        foreach (var field in Values.Keys)
        {
            Assert.True(requestSchema.TryGetProperty(field, out _), $"the create request's schema lacks {field}");
            Assert.True(specSchema.TryGetProperty(field, out var property), $"the spec's schema lacks {field}");
            var kind = JsonSerializer.SerializeToElement(Values[field], ApiJson.Options).ValueKind;
            Assert.True(kind != JsonValueKind.String || AllowsString(schemas, property),
                $"the spec's schema says {field} is {property.GetRawText()}, but it is written as a string");
        }
    }

    private static async Task<JsonElement> SpecOfAsync(TestSite site, string name)
    {
        var view = await site.Client.Http.GetStringAsync($"api/v1/clusters/{name}");
        return JsonDocument.Parse(view).RootElement.GetProperty("spec").Clone();
    }

    private static void AssertSame(string field, JsonElement expected, JsonElement actual, string where)
    {
        var same = expected.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(expected.GetString(), out var time)
                   && actual.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(actual.GetString(), out var shown)
            ? time == shown
            : JsonElement.DeepEquals(expected, actual);
        Assert.True(same, $"{field}: {expected.GetRawText()} was asked for, {where} shows {actual.GetRawText()}");
    }

    /// <summary>Whether the schema (following references, and any of its oneOf/anyOf alternatives) allows a string.</summary>
    private static bool AllowsString(JsonElement schemas, JsonElement schema)
    {
        schema = Resolve(schemas, schema);
        if (schema.TryGetProperty("type", out var type) && type.GetRawText().Contains("\"string\"", StringComparison.Ordinal))
        {
            return true;
        }

        if (schema.TryGetProperty("enum", out var values) && values.EnumerateArray().All(v => v.ValueKind is JsonValueKind.String or JsonValueKind.Null))
        {
            return true;
        }

        return new[] { "oneOf", "anyOf" }.Any(key => schema.TryGetProperty(key, out var options) && options.EnumerateArray().Any(o => AllowsString(schemas, o)));
    }

    private static JsonElement Resolve(JsonElement schemas, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? schemas.GetProperty(reference.GetString()!.Split('/')[^1])
            : schema;

    private static List<string> Names<T>() =>
        ApiJson.Options.GetTypeInfo(typeof(T)).Properties.Where(p => p.Set is not null).Select(p => p.Name).ToList();
}
