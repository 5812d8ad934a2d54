using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Agent.Linux.Images.Distribution;
using Vcm.Drivers.Rpc;

namespace Vcm.Agent.Hosting;

/// <summary>
/// GET /agent/v1/hosts/HOST/images/IMAGE/files/FILE with a Range: the bytes of an image file the host holds or is
/// copying, sent as they arrive (see <see cref="IImageFileServer"/>). Other hosts call it with the agent's
/// <see cref="ImageReadToken"/>, which opens only this route.
/// </summary>
internal static class ImageFileEndpoint
{
    private const string Route = "/agent/v1/hosts/{host}/images/{image}/files/{file}";

    public static void MapImageFiles(this IEndpointRouteBuilder app, AgentHosts hosts) =>
        app.MapGet(Route, (string host, string image, string file, HttpContext http) =>
            hosts.ByName.TryGetValue(host, out var drivers) && drivers.Images is IImageFileServer server
                ? ServeAsync(server, image, file, http)
                : Task.FromResult(Results.NotFound()));

    /// <summary>Whether a request is a read of this route (what the image read token allows).</summary>
    public static bool IsImageRead(HttpRequest request)
    {
        var parts = request.Path.Value?.Split('/') ?? [];
        return HttpMethods.IsGet(request.Method) && parts.Length == 9 && parts[0] == "" && parts[1] == "agent" && parts[2] == "v1"
            && parts[3] == "hosts" && parts[5] == "images" && parts[7] == "files";
    }

    private static async Task<IResult> ServeAsync(IImageFileServer server, string image, string file, HttpContext http)
    {
        var ct = http.RequestAborted;
        if (await server.SizeAsync(image, file, ct) is not { } size)
        {
            return Results.NotFound();
        }

        var range = http.Request.GetTypedHeaders().Range;
        long from = 0, to = size - 1;
        if (range is { Ranges.Count: 1 } && range.Ranges.First() is var r)
        {
            (from, to) = r.From is { } f ? (f, Math.Min(r.To ?? size - 1, size - 1)) : (size - (r.To ?? 0), size - 1);
        }

        if (from < 0 || from > to || to >= size)
        {
            http.Response.Headers.ContentRange = $"bytes */{size}";
            return Results.StatusCode(StatusCodes.Status416RangeNotSatisfiable);
        }

        http.Response.StatusCode = range is null ? StatusCodes.Status200OK : StatusCodes.Status206PartialContent;
        http.Response.ContentType = "application/octet-stream";
        http.Response.ContentLength = to - from + 1;
        if (range is not null)
        {
            http.Response.Headers.ContentRange = $"bytes {from}-{to}/{size}";
        }

        try
        {
            await server.CopyRangeAsync(image, file, from, to - from + 1, http.Response.Body, ct);
        }
        catch (IOException)
        {
            // This host's own copy stopped or went back: cut the connection, so the receiver resumes elsewhere.
            http.Abort();
        }

        return Results.Empty;
    }
}
