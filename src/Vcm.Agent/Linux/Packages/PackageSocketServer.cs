using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Vcm.Drivers;
using Vcm.Drivers.Packages;

namespace Vcm.Agent.Linux.Packages;

/// <summary>
/// Serves a host's copy of the site's package repository on a unix socket (<c>HOST/packages.sock</c>, root only),
/// at <c>GET /packages/PATH</c>: how its gateways' metadata services, in namespaces that cannot reach the manager
/// but share the host's files, get packages for their nodes.
/// </summary>
public static class PackageSocketServer
{
    public static WebApplication Build(string socketPath, IPackageArchive packages)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.ClearProviders();
        Directory.CreateDirectory(Path.GetDirectoryName(socketPath)!);
        File.Delete(socketPath); // a socket left by an agent that was killed
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.ListenUnixSocket(socketPath);
        });
        var app = builder.Build();
        app.MapGet("/packages/{**path}", async (string path, CancellationToken ct) =>
        {
            if (ArchivePath.Parse(path) is not { } parsed)
            {
                return Results.NotFound();
            }

            try
            {
                return await packages.GetAsync(parsed, ct) is { } file
                    ? Results.File(file.Path, "application/octet-stream", enableRangeProcessing: true)
                    : Results.NotFound();
            }
            catch (DriverException e)
            {
                return Results.Text(e.Message + "\n", statusCode: StatusCodes.Status502BadGateway);
            }
        });
        return app;
    }
}
