using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Vcm.Store.Packages;

namespace Vcm.Manager.Images;

/// <summary>
/// Measures each image file an agent fetches from the site's image store — bytes sent and the time it took — and
/// adds it to the site's history, from which the cost model takes each host's transfer rate. Files under
/// <see cref="MinBytes"/> are not recorded (their time is mostly latency), nor failed or aborted sends; a chunk (a
/// Range request answered 206) counts like a file.
/// </summary>
public sealed partial class ImageFetchMeter(PackageHistoryStore history, TimeProvider clock, ILogger<ImageFetchMeter> logger) : IEndpointFilter
{
    public const long MinBytes = 1 << 20;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        var key = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
        return result is IResult inner && key.Length is > 0 and <= 512 ? new Measured(inner, this, key) : result;
    }

    private async Task RecordAsync(HttpContext http, string key, long started)
    {
        var elapsed = clock.GetElapsedTime(started);
        var bytes = http.Response.ContentLength ?? 0;
        if (http.Response.StatusCode is not (StatusCodes.Status200OK or StatusCodes.Status206PartialContent) || bytes < MinBytes || http.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        try
        {
            await history.AddFetchAsync(key, http.Request.Path.Value ?? "", bytes, Math.Max(1, (long)elapsed.TotalMilliseconds), clock.GetUtcNow().ToUnixTimeMilliseconds(), CancellationToken.None);
        }
        catch (Exception e)
        {
            LogNotRecorded(logger, http.Request.Path.Value ?? "", e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "image fetch {Path}: could not be added to the site's history")]
    private static partial void LogNotRecorded(ILogger logger, string path, Exception error);

    /// <summary>The endpoint's result, sent, then recorded.</summary>
    private sealed class Measured(IResult inner, ImageFetchMeter meter, string key) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var started = meter.ReadTimestamp();
            await inner.ExecuteAsync(httpContext);
            await meter.RecordAsync(httpContext, key, started);
        }
    }

    private long ReadTimestamp() => clock.GetTimestamp();
}
