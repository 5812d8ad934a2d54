using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vcm.Agent.Metadata;

/// <summary>
/// A cluster gateway's metadata service (docs/guest-protocol.md), run as its own process in the gateway's network
/// namespace (`vcm metadata`). Every request must carry the token of the node at its source address
/// (<see cref="TokenHeader"/>) — but /apt, the site's package repository, which apt asks with no token, and the
/// nodes' public host keys (<see cref="SetupEndpoints.KnownHostsPath"/>) are answered to any node's address; any other gets 403 and an empty body, whatever it asked for. One log line per request.
/// </summary>
public static class MetadataServer
{
    public const string TokenHeader = "X-Vcm-Token";

    private const string NodeItem = "vcm.node";

    public static WebApplication Build(MetadataServerOptions options, Action<ILoggingBuilder>? logging = null, TimeProvider? time = null)
    {
        // no configuration file watching: it would cost an inotify instance per gateway (see NodeTable)
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.WebHost.UseUrls(options.Listen);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 64 * 1024;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
        });
        builder.Logging.ClearProviders();
        if (logging is not null)
        {
            logging(builder.Logging);
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
            builder.Logging.SetMinimumLevel(LogLevel.Information);
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(time ?? TimeProvider.System);
        builder.Services.AddSingleton<NodeTable>();
        builder.Services.AddSingleton(new PackageSocketClient(options.PackageSocket));

        var app = builder.Build();
        app.Use(AuthenticateAndLog);
        MetadataEndpoints.Map(app);
        return app;
    }

    /// <summary>The URL the server really listens on (after a port-0 bind).</summary>
    public static string ListeningUrl(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>The node the request proved to be (set before any endpoint runs).</summary>
    public static MetadataNode Node(HttpContext context) => (MetadataNode)context.Items[NodeItem]!;

    private static async Task AuthenticateAndLog(HttpContext context, RequestDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        var table = context.RequestServices.GetRequiredService<NodeTable>();
        var access = AptEndpoints.IsApt(context.Request) || SetupEndpoints.IsByAddress(context.Request)
            ? table.ByAddress(context.Connection.RemoteIpAddress)
            : table.Authenticate(context.Request.Headers[TokenHeader].ToString(), context.Connection.RemoteIpAddress);
        try
        {
            if (access.Node is null)
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }

            context.Items[NodeItem] = access.Node;
            await next(context);
        }
        finally
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MetadataServer).FullName!);
            MetadataLog.Request(
                logger,
                context.Request.Method,
                context.Request.Path.ToString(),
                context.Connection.RemoteIpAddress?.ToString() ?? "?",
                access.Node?.Name ?? "-",
                context.Response.StatusCode,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                access.Node is null ? $" ({access.Reason})" : "");
        }
    }
}
