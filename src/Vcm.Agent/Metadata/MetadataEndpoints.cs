using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vcm.Agent.Metadata;

/// <summary>The metadata routes; each runs only for a request that proved which node it is from.</summary>
public static class MetadataEndpoints
{
    private const string Text = "text/plain; charset=utf-8";

    public static void Map(WebApplication app)
    {
        var self = app.MapGroup("/v1/self");
        self.MapGet("/hostname", (HttpContext context) => Results.Text(MetadataServer.Node(context).Name + "\n", Text));
        self.MapGet("/authorized_keys", (HttpContext context) =>
            Results.Text(string.Concat(MetadataServer.Node(context).SshKeys.Select(k => k.Trim() + "\n")), Text));
        self.MapGet("/user-script", (HttpContext context) =>
            MetadataServer.Node(context).UserScript is { Length: > 0 } script ? Results.Text(script, Text) : Results.NotFound());
        // the node's SSH host key when the manager made one (404: the node makes its own)
        self.MapGet("/host-key", (HttpContext context) =>
            MetadataServer.Node(context).HostKey is { Length: > 0 } key ? Results.Text(key, Text) : Results.NotFound());
        SetupEndpoints.Map(self);
        AptEndpoints.Map(app, self);
        app.MapPost("/v1/phone-home", PhoneHomeAsync);
    }

    private static async Task<IResult> PhoneHomeAsync(HttpContext context, MetadataServerOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!context.Request.HasFormContentType)
        {
            return Results.Text("a form body (application/x-www-form-urlencoded) is expected\n", Text, statusCode: StatusCodes.Status400BadRequest);
        }

        var node = MetadataServer.Node(context);
        var form = await context.Request.ReadFormAsync(cancellationToken);
        if (PhoneHomeForm.Read(form, node, time.GetUtcNow(), out var problem) is not { } report)
        {
            return Results.Text(problem + "\n", Text, statusCode: StatusCodes.Status400BadRequest);
        }

        await GatewayFiles.WriteReportAsync(options.Directory, report, cancellationToken);
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MetadataEndpoints).FullName!);
        MetadataLog.PhoneHome(logger, report.Name, report.Hostname, report.Ip, report.Uptime, report.ScriptRc, report.Fingerprint);
        return Results.Text("ok\n", Text);
    }
}
