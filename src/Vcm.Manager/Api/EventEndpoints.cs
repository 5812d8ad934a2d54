using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Api;
using Vcm.Domain.Common;
using Vcm.Manager.Auth;
using Vcm.Manager.Http;
using Vcm.Store.Events;

namespace Vcm.Manager.Api;

/// <summary>GET /api/v1/events: the latest events of every cluster the caller sees, newest first.</summary>
public static class EventEndpoints
{
    public const int MaxLimit = 1000;

    public static void MapEvents(this RouteGroupBuilder api) =>
        api.MapGet("/events", RecentAsync).WithTags("clusters").WithName("listRecentEvents")
            .Produces<IReadOnlyList<ClusterEventView>>().ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("The latest events of every cluster the caller sees (a tenant's user: its tenant's; the provider: all), newest first, each with its cluster's name; limit 1–1000, default 50.");

    private static async Task<IResult> RecentAsync(int? limit, Caller caller, EventStore events, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return Problems.Invalid([new Problem("limit", $"must be 1 to {MaxLimit}")], "The events query is not valid");
        }

        var list = await events.RecentAsync(caller.IsProvider, caller.TenantId, limit ?? 50, cancellationToken);
        return Results.Ok(list.Select(r =>
        {
            var e = Views.Event(r.Event);
            return new ClusterEventView(r.Cluster, e.At, e.Type, e.Reason, e.Message, e.Source);
        }).ToList());
    }
}
