using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Api;
using Vcm.Manager.Hosts;
using Vcm.Manager.Http;
using Vcm.Store.Sites;

namespace Vcm.Manager.Api;

/// <summary>/api/v1/hosts/{name}/drain, /undrain and /api/v1/hosts/consolidate: moving work off hosts (the provider).</summary>
public static class HostDrainEndpoints
{
    public static void MapHostDrains(this RouteGroupBuilder api)
    {
        api.MapPost("/hosts/{name}/drain", DrainAsync).WithName("drainHost").WithTags("hosts").Produces<DrainView>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Drains a host: it takes no new placements; the future reservations on it are re-planned onto other ready hosts where they have room for their whole window (else they stay, with the reason); its running nodes are live-migrated away a few at a time. Draining a draining host again re-plans what is left; a down host is refused.");
        api.MapPost("/hosts/{name}/undrain", UndrainAsync).WithName("undrainHost").WithTags("hosts").Produces<HostView>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Makes a draining host ready again (migrations already admitted go on); a ready host stays ready; a down host is refused.");
        api.MapPost("/hosts/consolidate", ConsolidateAsync).WithName("consolidateHosts").WithTags("hosts").Produces<ConsolidationView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Packs running nodes onto fewer hosts: the least-loaded hosts are emptied where every node has room elsewhere for the rest of its window, future reservations included. With dryRun=true only the plan; else the hosts to empty are drained (they stay draining, for power saving, until undrained) and their nodes moved to the planned hosts.");
    }

    private static async Task<IResult> DrainAsync(string name, HostDrains drains, CancellationToken cancellationToken) =>
        await drains.DrainAsync(name, cancellationToken) switch
        {
            DrainOutcome.Draining draining => Results.Ok(draining.View),
            var other => Refusal(other, name),
        };

    private static async Task<IResult> UndrainAsync(string name, HostDrains drains, SiteStore sites, Store.Hosts.HostStore hosts, TimeProvider clock, CancellationToken cancellationToken)
    {
        switch (await drains.UndrainAsync(name, cancellationToken))
        {
            case DrainOutcome.Undrained undrained:
                var used = await hosts.UsageAsync(clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
                var site = (await sites.ListAsync(cancellationToken)).FirstOrDefault(s => s.Id == undrained.Host.SiteId)?.Name ?? "?";
                return Results.Ok(Views.Host(undrained.Host, site, used.GetValueOrDefault(undrained.Host.Id)));
            case var other:
                return Refusal(other, name);
        }
    }

    private static async Task<IResult> ConsolidateAsync(bool? dryRun, HostConsolidation consolidation, CancellationToken cancellationToken) =>
        Results.Ok(await consolidation.ConsolidateAsync(dryRun ?? false, cancellationToken));

    private static IResult Refusal(DrainOutcome outcome, string name) => outcome switch
    {
        DrainOutcome.NotFound => Problems.NotFound($"A host named '{name}'"),
        DrainOutcome.Refused refused => Problems.Conflict(char.ToUpperInvariant(refused.Reason[0]) + refused.Reason[1..] + "."),
        _ => throw new InvalidOperationException("unknown drain outcome"),
    };
}
