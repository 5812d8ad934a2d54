using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Vcm.Manager.Auth;
using Vcm.Manager.Http;
using Vcm.Store.Clusters;

namespace Vcm.Manager.Watch;

/// <summary>
/// Server push (Server-Sent Events): <c>GET /api/v1/clusters/{name}/watch</c> — the cluster's view, then each change
/// of it and each new event, then <c>gone</c>; <c>GET /api/v1/watch</c> — each change of any cluster the caller sees
/// (its list item) and <c>gone</c>. Both fed by the one <see cref="ClusterFeed"/>.
/// </summary>
public static class WatchEndpoints
{
    public const string ContentType = "text/event-stream";

    /// <summary>A comment line is sent after this long without a message, so proxies and browsers keep the stream.</summary>
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static void MapWatch(this RouteGroupBuilder api)
    {
        api.MapGet("/clusters/{name}/watch", WatchClusterAsync).WithTags("clusters").WithName("watchCluster")
            .Produces<string>(StatusCodes.Status200OK, ContentType).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Server-Sent Events: `cluster` (the cluster's view) first and on every change, `event` for each new event, `gone` when it is released; a `: keepalive` comment every 15 s.");
        api.MapGet("/watch", WatchAllAsync).WithTags("clusters").WithName("watchClusters")
            .Produces<string>(StatusCodes.Status200OK, ContentType)
            .WithSummary("Server-Sent Events over every cluster the caller sees: `cluster` (its list item) on each change, `gone` ({\"name\"}) when one is released.");
    }

    private static async Task<IResult> WatchClusterAsync(
        HttpContext http, string name, Caller caller, ClusterStore clusters, ClusterFeed feed, IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        var cluster = await clusters.FindAsync(name, cancellationToken);
        if (cluster is null || !caller.Sees(cluster))
        {
            return Problems.NotFound($"A cluster named '{name}'");
        }

        var subscription = await feed.WatchClusterAsync(caller, cluster, cancellationToken);
        await StreamAsync(http, subscription, feed, lifetime);
        return Results.Empty;
    }

    private static async Task<IResult> WatchAllAsync(
        HttpContext http, Caller caller, ClusterFeed feed, IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        var subscription = await feed.WatchAllAsync(caller, cancellationToken);
        await StreamAsync(http, subscription, feed, lifetime);
        return Results.Empty;
    }

    /// <summary>Writes the subscription's messages until the client goes, the manager stops or the stream ends.</summary>
    private static async Task StreamAsync(HttpContext http, Subscription subscription, ClusterFeed feed, IHostApplicationLifetime lifetime)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        try
        {
            http.Response.ContentType = ContentType;
            http.Response.Headers.CacheControl = "no-cache";
            http.Response.Headers["X-Accel-Buffering"] = "no";
            http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await http.Response.StartAsync(stop.Token);
            while (true)
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                tick.CancelAfter(KeepAlive);
                bool open;
                try
                {
                    open = await subscription.Messages.WaitToReadAsync(tick.Token);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    await http.Response.WriteAsync(": keepalive\n\n", stop.Token);
                    await http.Response.Body.FlushAsync(stop.Token);
                    continue;
                }

                while (subscription.Messages.TryRead(out var message))
                {
                    await http.Response.WriteAsync($"event: {message.Event}\ndata: {message.Data}\n\n", stop.Token);
                }

                await http.Response.Body.FlushAsync(stop.Token);
                if (!open)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // the client went, or the manager stops
        }
        finally
        {
            feed.Unsubscribe(subscription);
        }
    }
}
