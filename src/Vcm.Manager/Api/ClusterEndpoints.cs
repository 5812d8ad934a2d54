using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Manager.Admission;
using Vcm.Manager.Controllers;
using Vcm.Manager.Http;
using Vcm.Store.Clusters;
using Vcm.Store.Events;
using Vcm.Store.Federation;
using Vcm.Store.Hosts;
using Vcm.Store.Records;
using Vcm.Store.Sites;

namespace Vcm.Manager.Api;

/// <summary>/api/v1/clusters: create (admission), list, show, delete, events.</summary>
public static class ClusterEndpoints
{
    public static void MapClusters(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/clusters").WithTags("clusters");
        // The body is read by ClusterRequestReader (so every problem is listed, whatever the content type);
        // its schema is added to the OpenAPI document by RequestBodySchema.
        group.MapPost("/", CreateAsync)
            .WithName("createCluster")
            .WithMetadata(new RequestBodySchema(typeof(ClusterSpecInput)))
            .Produces<ClusterView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .WithSummary("Reserve a virtual cluster for a window; admitted only if capacity exists for all of it.");
        group.MapGet("/", ListAsync).WithName("listClusters").Produces<IReadOnlyList<ClusterView>>().WithSummary("Live clusters (all=true: released ones too).");
        group.MapGet("/{name}", GetAsync).WithName("getCluster").Produces<ClusterView>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One cluster with its nodes (nodes=false leaves them out).");
        group.MapDelete("/{name}", DeleteAsync).WithName("deleteCluster").Produces<ClusterView>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Release a cluster now.");
        group.MapGet("/{name}/events", EventsAsync).WithName("listClusterEvents").Produces<IReadOnlyList<EventView>>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("What happened to a cluster, oldest first.");
    }

    private static async Task<IResult> CreateAsync(
        HttpRequest request, PartBroker admission, ClusterController controller, ClusterStore clusters,
        SiteStore sites, HostStore hosts, PartStore parts, CancellationToken cancellationToken)
    {
        var (input, readProblems) = await ClusterRequestReader.ReadAsync(request, cancellationToken);
        if (readProblems.Any(p => p.Field.Length == 0))
        {
            return Problems.Invalid(readProblems);
        }

        var key = request.Headers["Idempotency-Key"].FirstOrDefault();
        if (key is { Length: > 200 })
        {
            return Problems.Invalid([new Domain.Common.Problem("Idempotency-Key", "is longer than 200 characters")]);
        }

        var outcome = await admission.AdmitAsync(input, readProblems, key, cancellationToken);
        switch (outcome)
        {
            case AdmissionOutcome.Invalid invalid:
                return Problems.Invalid(invalid.Problems);
            case AdmissionOutcome.NoCapacity refused:
                return Problems.NoCapacity(refused.Reason, refused.EarliestStart);
            case AdmissionOutcome.PeerFailed peer:
                return Problems.Peer(peer.Site, peer.Failure, peer.Reason, peer.AllWithdrawn);
            case AdmissionOutcome.Admitted admitted:
                controller.Trigger(admitted.Cluster.Id);
                var view = await ViewAsync(admitted.Cluster, true, clusters, sites, hosts, parts, cancellationToken);
                return admitted.Replayed
                    ? Results.Ok(view)
                    : Results.Created($"/api/v1/clusters/{admitted.Cluster.Name}", view);
            default:
                throw new InvalidOperationException("unknown admission outcome");
        }
    }

    private static async Task<IResult> ListAsync(bool? all, ClusterStore clusters, SiteStore sites, CancellationToken cancellationToken)
    {
        var siteNames = (await sites.ListAsync(cancellationToken)).ToDictionary(s => s.Id, s => s.Name);
        var list = await clusters.ListAsync(all ?? false, cancellationToken);
        return Results.Ok(list.Select(c => Views.Cluster(c, siteNames.GetValueOrDefault(c.SiteId, "?"), null, null)).ToList());
    }

    private static async Task<IResult> GetAsync(
        string name, bool? nodes, ClusterStore clusters, SiteStore sites, HostStore hosts, PartStore parts, CancellationToken cancellationToken)
    {
        var cluster = await clusters.FindAsync(name, cancellationToken);
        return cluster is null
            ? Problems.NotFound($"A cluster named '{name}'")
            : Results.Ok(await ViewAsync(cluster, nodes ?? true, clusters, sites, hosts, parts, cancellationToken));
    }

    private static async Task<IResult> DeleteAsync(
        string name, ClusterStore clusters, ClusterController controller, SiteStore sites, HostStore hosts, PartStore parts, CancellationToken cancellationToken)
    {
        var found = await clusters.FindAsync(name, cancellationToken);
        if (found is null)
        {
            return Problems.NotFound($"A cluster named '{name}'");
        }

        var cluster = await controller.RequestDeletionAsync(found.Id, cancellationToken) ?? found;
        return Results.Accepted($"/api/v1/clusters/{cluster.Name}", await ViewAsync(cluster, false, clusters, sites, hosts, parts, cancellationToken));
    }

    private static async Task<IResult> EventsAsync(string name, int? limit, ClusterStore clusters, EventStore events, CancellationToken cancellationToken)
    {
        var cluster = await clusters.FindAsync(name, cancellationToken);
        if (cluster is null)
        {
            return Problems.NotFound($"A cluster named '{name}'");
        }

        var list = await events.ListAsync(cluster.Id, Math.Clamp(limit ?? 200, 1, 10_000), cancellationToken);
        return Results.Ok(list.Select(Views.Event).ToList());
    }

    private static async Task<ClusterView> ViewAsync(
        ClusterRecord cluster, bool withNodes, ClusterStore clusters, SiteStore sites, HostStore hosts, PartStore parts, CancellationToken cancellationToken)
    {
        var siteName = (await sites.ListAsync(cancellationToken)).FirstOrDefault(s => s.Id == cluster.SiteId)?.Name ?? "?";
        if (!withNodes)
        {
            return Views.Cluster(cluster, siteName, null, null);
        }

        var nodes = await clusters.GetNodesAsync(cluster.Id, cancellationToken);
        var hostRecords = await hosts.GetAsync(nodes.Where(n => n.HostId is not null).Select(n => n.HostId!).Distinct().ToList(), cancellationToken);
        return Views.Cluster(cluster, siteName, nodes, hostRecords, await parts.ForClusterAsync(cluster.Id, cancellationToken));
    }
}
