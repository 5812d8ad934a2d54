using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Vcm.Manager.Metrics;

/// <summary>GET /metrics: the manager's metrics in the Prometheus text format, for the provider (a scraper sends a provider's token).</summary>
public static class MetricsEndpoints
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void MapMetrics(this WebApplication app) =>
        app.MapGet("/metrics", WriteAsync).WithName("getMetrics").WithTags("metrics").Produces<string>(StatusCodes.Status200OK, "text/plain")
            .WithSummary("The manager's metrics in the Prometheus text format: clusters by phase, admission and reconcile latencies and errors, agent calls, hosts' capacity and claims, nodes' CPU and memory.");

    private static async Task WriteAsync(HttpContext http, ManagerMetrics metrics, CancellationToken cancellationToken)
    {
        http.Response.ContentType = ContentType;
        await metrics.WriteAsync(http.Response.Body, cancellationToken);
    }
}
