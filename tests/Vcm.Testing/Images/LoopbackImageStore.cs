using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Vcm.Agent.Hosting;
using Vcm.Drivers.Images;

namespace Vcm.Testing.Images;

/// <summary>
/// The site's image store as agents see it, served by Kestrel on loopback (real sockets, so a cut connection is a
/// real one): GET /api/v1/images/NAME/manifest, …/chunks/FILE?size=N and …/files/FILE with Range. It can cut a
/// response after some bytes, stop sending (a stall), or send at a fixed rate; it counts the bytes it sent.
/// </summary>
public sealed class LoopbackImageStore : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, long> _sent = new(StringComparer.Ordinal);
    private int _cutsLeft;

    private LoopbackImageStore(WebApplication app, string folder)
    {
        _app = app;
        Folder = folder;
    }

    /// <summary>The store's folder: NAME/manifest.json and NAME/FILE.</summary>
    public string Folder { get; }

    public string Url => AgentServer.ListeningUrl(_app);

    /// <summary>Cut the connection of a file response after this many bytes of it (for <see cref="CutTimes"/> responses).</summary>
    public long CutAfter { get; set; }

    public int CutTimes
    {
        get => Volatile.Read(ref _cutsLeft);
        set => Volatile.Write(ref _cutsLeft, value);
    }

    /// <summary>Stop sending (hold the connection open) after this many bytes of every file response; null: never.</summary>
    public long? StallAfter { get; set; }

    /// <summary>Bytes per second of each file response; null: as fast as loopback goes.</summary>
    public long? Rate { get; set; }

    /// <summary>Answer 503 to requests for bytes from this offset on; null: never.</summary>
    public long? RefuseFrom { get; set; }

    /// <summary>Bytes of FILE of IMAGE sent so far.</summary>
    public long Sent(string image, string file) => _sent.GetValueOrDefault($"{image}/{file}");

    public static async Task<LoopbackImageStore> StartAsync(string folder)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var store = new LoopbackImageStore(app, folder);
        app.MapGet("/api/v1/images/{name}/manifest", (string name) =>
            File.Exists(Path.Combine(folder, name, "manifest.json"))
                ? Results.File(Path.Combine(folder, name, "manifest.json"), "application/json")
                : Results.NotFound());
        app.MapGet("/api/v1/images/{name}/chunks/{file}", async (string name, string file, int? size, CancellationToken ct) =>
            await ChunkListCache.GetAsync(folder, name, file, size ?? ChunkList.DefaultChunkSize, ct) is { } list ? Results.Ok(list) : Results.NotFound());
        app.MapGet("/api/v1/images/{name}/files/{file}", (string name, string file, HttpContext http) => store.ServeAsync(name, file, http));
        await app.StartAsync();
        return store;
    }

    /// <summary>Puts an image into the store: its files and a manifest listing their sizes and SHA-256.</summary>
    public async Task AddAsync(string image, IReadOnlyDictionary<string, byte[]> files, string? parent = null, string? parentSha256 = null)
    {
        var dir = Path.Combine(Folder, image);
        Directory.CreateDirectory(dir);
        foreach (var (name, bytes) in files)
        {
            await File.WriteAllBytesAsync(Path.Combine(dir, name), bytes);
        }

        var manifest = new Dictionary<string, object?>
        {
            ["name"] = image,
            ["files"] = files.ToDictionary(f => f.Key, f => new { sha256 = Convert.ToHexStringLower(SHA256.HashData(f.Value)), size = f.Value.LongLength }),
            ["parent"] = parent,
            ["parentSha256"] = parentSha256,
        };
        await File.WriteAllTextAsync(Path.Combine(dir, "manifest.json"), JsonSerializer.Serialize(manifest));
    }

    private async Task ServeAsync(string name, string file, HttpContext http)
    {
        var path = Path.Combine(Folder, name, file);
        if (!File.Exists(path))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var size = new FileInfo(path).Length;
        var range = http.Request.GetTypedHeaders().Range?.Ranges.FirstOrDefault();
        var from = range?.From ?? 0;
        var to = Math.Min(range?.To ?? size - 1, size - 1);
        if (RefuseFrom is { } refused && from >= refused)
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        http.Response.StatusCode = range is null ? StatusCodes.Status200OK : StatusCodes.Status206PartialContent;
        http.Response.ContentLength = to - from + 1;
        if (range is not null)
        {
            http.Response.Headers.ContentRange = $"bytes {from}-{to}/{size}";
        }

        var cut = CutTimes > 0 && Interlocked.Decrement(ref _cutsLeft) >= 0 ? CutAfter : (long?)null;
        await using var input = File.OpenRead(path);
        input.Position = from;
        var buffer = new byte[64 * 1024];
        var start = TimeProvider.System.GetTimestamp();
        long sent = 0;
        while (sent < to - from + 1)
        {
            var limit = (int)Math.Min(buffer.Length, to - from + 1 - sent);
            if (cut is { } c)
            {
                limit = (int)Math.Min(limit, c - sent);
            }

            if (StallAfter is { } s)
            {
                limit = (int)Math.Min(limit, Math.Max(0, s - sent));
            }

            if (limit <= 0)
            {
                if (cut is not null && sent >= cut)
                {
                    await http.Response.Body.FlushAsync(http.RequestAborted);
                    http.Abort();
                    return;
                }

                await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            var read = await input.ReadAsync(buffer.AsMemory(0, limit), http.RequestAborted);
            // Counted before it is written, so a receiver that has every byte never sees the count behind.
            _sent.AddOrUpdate($"{name}/{file}", read, (_, v) => v + read);
            await http.Response.Body.WriteAsync(buffer.AsMemory(0, read), http.RequestAborted);
            sent += read;
            if (Rate is { } rate && TimeSpan.FromSeconds((double)sent / rate) - TimeProvider.System.GetElapsedTime(start) is { } due && due > TimeSpan.Zero)
            {
                await Task.Delay(due, http.RequestAborted);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
