using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Api;
using Vcm.Manager.Admission;
using Vcm.Manager.Auth;
using Vcm.Manager.Controllers;
using Vcm.Manager.Http;
using Vcm.Store.Clusters;
using Vcm.Store.Federation;
using Vcm.Store.Hosts;
using Vcm.Store.Sites;

namespace Vcm.Manager.Api;

/// <summary>/api/v1/clusters/{name}/extend and /resize: changes to an admitted cluster of this site, admitted against the calendar as a create is.</summary>
public static class ClusterChangeEndpoints
{
    public static void MapClusterChanges(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/clusters").WithTags("clusters");
        group.MapPost("/{name}/extend", ExtendAsync).WithName("extendCluster").Produces<ClusterView>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Extend a Scheduled or running cluster's window (end, or by): its claims run on, on the same hosts, if the calendar has room; else 409 with the latest end that fits (latestEnd).");
        group.MapPost("/{name}/resize", ResizeAsync).WithName("resizeCluster").Produces<ClusterView>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Change a Scheduled or running cluster's worker count: new workers are placed for the rest of the window (else 409 with largestWorkers) and built; a shrink releases the highest-numbered.");
    }

    private static Task<IResult> ExtendAsync(
        string name, ExtendRequest? request, Caller caller, ClusterChanges changes, ClusterController controller,
        ClusterStore clusters, SiteStore sites, HostStore hosts, PartStore parts, CancellationToken cancellationToken) =>
        ChangeAsync(name, caller, "extend", ct => changes.ExtendAsync(name, request ?? new ExtendRequest(null, null), ct),
            controller, clusters, sites, hosts, parts, cancellationToken);

    private static Task<IResult> ResizeAsync(
        string name, ResizeRequest? request, Caller caller, ClusterChanges changes, ClusterController controller,
        ClusterStore clusters, SiteStore sites, HostStore hosts, PartStore parts, CancellationToken cancellationToken) =>
        ChangeAsync(name, caller, "resize", ct => changes.ResizeAsync(name, request ?? new ResizeRequest(null), ct),
            controller, clusters, sites, hosts, parts, cancellationToken);

    private static async Task<IResult> ChangeAsync(
        string name, Caller caller, string verb, Func<CancellationToken, Task<ChangeOutcome>> change, ClusterController controller,
        ClusterStore clusters, SiteStore sites, HostStore hosts, PartStore parts, CancellationToken cancellationToken)
    {
        var found = await clusters.FindAsync(name, cancellationToken);
        if (found is null || !caller.Sees(found))
        {
            return Problems.NotFound($"A cluster named '{name}'");
        }

        if (!caller.Manages(found))
        {
            return Problems.Forbidden($"Only its creator, a tenant-admin of its tenant or the provider may {verb} cluster '{name}'.");
        }

        switch (await change(cancellationToken))
        {
            case ChangeOutcome.Changed changed:
                controller.Trigger(changed.Cluster.Id);
                return Results.Ok(await ClusterEndpoints.ViewAsync(changed.Cluster, true, clusters, sites, hosts, parts, cancellationToken));
            case ChangeOutcome.NotFound:
                return Problems.Conflict($"Cluster '{name}' is not live at this site; only a Scheduled or running cluster can be changed.");
            case ChangeOutcome.Invalid invalid:
                return Problems.Invalid(invalid.Problems, $"The {verb} request is not valid");
            case ChangeOutcome.Conflict conflict:
                return Problems.Conflict(Sentence(conflict.Reason));
            case ChangeOutcome.NoRoomToExtend noRoom:
                return Problems.NoCapacityForChange(Sentence(noRoom.Reason), "latestEnd", noRoom.LatestEnd);
            case ChangeOutcome.NoRoomToGrow noRoom:
                return Problems.NoCapacityForChange(Sentence(noRoom.Reason), "largestWorkers", noRoom.LargestWorkers);
            case ChangeOutcome.OverQuota over:
                return Problems.OverQuota(over.Tenant, over.Excesses);
            default:
                throw new InvalidOperationException("unknown change outcome");
        }
    }

    private static string Sentence(string reason) => char.ToUpperInvariant(reason[0]) + reason[1..] + ".";
}
