using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Vcm.Drivers.Images;

namespace Vcm.Agent.Tests.Linux.Images;

/// <summary>
/// The manager's image API as the image driver sees it, in memory: GET /api/v1/images/NAME/manifest, …/chunks/FILE
/// and …/files/FILE (with Range), answered only with the right bearer key. Records every request; can serve a file
/// other than the one its manifest and chunk list describe.
/// </summary>
public sealed class FakeImageApi : IAsyncDisposable
{
    public const string Key = "agent-key-for-tests";

    private readonly WebApplication _app;
    private readonly Dictionary<string, Dictionary<string, byte[]>> _images = new(StringComparer.Ordinal);

    private FakeImageApi(WebApplication app)
    {
        _app = app;
    }

    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Files served in place of what the manifest describes: (image, file) → bytes.</summary>
    public ConcurrentDictionary<(string, string), byte[]> Tampered { get; } = new();

    public static async Task<FakeImageApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        var app = builder.Build();
        var api = new FakeImageApi(app);
        app.MapGet("/api/v1/images/{name}/manifest", (string name, HttpContext http) => api.Manifest(name, http));
        app.MapGet("/api/v1/images/{name}/files/{file}", (string name, string file, HttpContext http) => api.File(name, file, http));
        app.MapGet("/api/v1/images/{name}/chunks/{file}", (string name, string file, int? size, HttpContext http) => api.Chunks(name, file, size ?? ChunkList.DefaultChunkSize, http));
        await app.StartAsync();
        return api;
    }

    public HttpClient Client() => _app.GetTestClient();

    public void Add(string image, Dictionary<string, byte[]> files) => _images[image] = files;

    private IResult Manifest(string name, HttpContext http)
    {
        Requests.Enqueue($"{http.Request.Path} {http.Request.Headers.Authorization}");
        if (http.Request.Headers.Authorization != "Bearer " + Key)
        {
            return Results.Unauthorized();
        }

        if (!_images.TryGetValue(name, out var files))
        {
            return Results.NotFound();
        }

        var manifest = new
        {
            name,
            files = files.ToDictionary(f => f.Key, f => new { sha256 = Convert.ToHexStringLower(SHA256.HashData(f.Value)), size = f.Value.LongLength }),
            kernel = "test",
        };
        return Results.Text(JsonSerializer.Serialize(manifest), "application/json");
    }

    private IResult Chunks(string name, string file, int size, HttpContext http)
    {
        Requests.Enqueue($"{http.Request.Path} {http.Request.Headers.Authorization}");
        if (http.Request.Headers.Authorization != "Bearer " + Key)
        {
            return Results.Unauthorized();
        }

        if (!_images.TryGetValue(name, out var files) || !files.TryGetValue(file, out var bytes))
        {
            return Results.NotFound();
        }

        var chunks = bytes.Chunk(size).Select(c => Convert.ToHexStringLower(SHA256.HashData(c))).ToList();
        return Results.Ok(new ChunkList(bytes.LongLength, size, Convert.ToHexStringLower(SHA256.HashData(bytes)), chunks));
    }

    private IResult File(string name, string file, HttpContext http)
    {
        Requests.Enqueue($"{http.Request.Path} {http.Request.Headers.Authorization}");
        if (http.Request.Headers.Authorization != "Bearer " + Key)
        {
            return Results.Unauthorized();
        }

        if (Tampered.TryGetValue((name, file), out var tampered))
        {
            return Results.Bytes(tampered, "application/octet-stream", enableRangeProcessing: true);
        }

        return _images.TryGetValue(name, out var files) && files.TryGetValue(file, out var bytes)
            ? Results.Bytes(bytes, "application/octet-stream", enableRangeProcessing: true)
            : Results.NotFound();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
