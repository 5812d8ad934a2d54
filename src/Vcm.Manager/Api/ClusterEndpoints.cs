using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Manager.Admission;
using Vcm.Manager.Auth;
using Vcm.Manager.Controllers;
using Vcm.Manager.Http;
using Vcm.Store.Clusters;
using Vcm.Store.Events;
using Vcm.Store.Federation;
using Vcm.Store.Hosts;
using Vcm.Store.Records;
using Vcm.Store.Sites;
using Vcm.Store.Tenancy;

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
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .WithSummary("Reserve a virtual cluster for a window; admitted only if capacity exists for all of it. With dryRun=true nothing is stored: the same checks answer 400 listing every problem (a taken name among them), or 200 {fits, start, end} / {fits: false, earliest, reason} for this site's share (peers are not asked).");
        group.MapGet("/", ListAsync).WithName("listClusters").Produces<IReadOnlyList<ClusterView>>().ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("The caller's tenant's live clusters (the provider's: all), a page at a time (limit, cursor; Link rel=next); all=true: released ones too; filters phase, tenant, site, prefix.");
        group.MapGet("/{name}", GetAsync).WithName("getCluster").Produces<ClusterView>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One cluster with its nodes (nodes=false leaves them out).");
        group.MapDelete("/{name}", DeleteAsync).WithName("deleteCluster").Produces<ClusterView>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithSummary("Release a cluster now.");
        group.MapGet("/{name}/events", EventsAsync).WithName("listClusterEvents").Produces<IReadOnlyList<EventView>>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("What happened to a cluster, oldest first.");
    }

    private static async Task<IResult> CreateAsync(
        HttpRequest request, bool? dryRun, Caller caller, PartBroker admission, ClusterController controller, ClusterStore clusters,
        SiteStore sites, HostStore hosts, PartStore parts, TenancyStore tenancy, CancellationToken cancellationToken)
    {
        var (input, readProblems, tooLarge) = await ClusterRequestReader.ReadAsync(request, cancellationToken);
        if (tooLarge)
        {
            return Problems.Invalid(readProblems, "The request body is too large", StatusCodes.Status413PayloadTooLarge);
        }

        if (readProblems.Any(p => p.Field.Length == 0))
        {
            return Problems.Invalid(readProblems);
        }

        var (withKeys, keyProblems) = await ClusterKeys.AddUsersKeysAsync(input, caller, tenancy, cancellationToken);
        input = withKeys;
        readProblems = [.. readProblems, .. keyProblems];
        if (dryRun == true)
        {
            return await DryRunAsync(input, readProblems, caller, admission, cancellationToken);
        }

        var key = request.Headers["Idempotency-Key"].FirstOrDefault();
        if (key is { Length: > 200 })
        {
            return Problems.Invalid([new Domain.Common.Problem("Idempotency-Key", "is longer than 200 characters")]);
        }

        // keys are the caller's own: another user's key never replays (or names) this user's request
        var owner = new ClusterOwner(caller.IsProvider ? null : caller.TenantId, caller.Id);
        var outcome = await admission.AdmitAsync(
            input, readProblems, key is null ? null : $"{caller.Id}:{key}", key is null ? null : RequestHash.Of(input), cancellationToken, owner);
        switch (outcome)
        {
            case AdmissionOutcome.Invalid invalid:
                return Problems.Invalid(invalid.Problems);
            case AdmissionOutcome.NameTaken taken:
                return Problems.Conflict($"A cluster named '{taken.Name}' exists already; choose another name or delete that cluster first.");
            case AdmissionOutcome.KeyReused reused:
                return Problems.Invalid(
                    [new Domain.Common.Problem("Idempotency-Key", $"was used with another request (which made cluster '{reused.Earlier.Name}'); send that request again or use a new key")],
                    "The Idempotency-Key was used with another request",
                    StatusCodes.Status422UnprocessableEntity);
            case AdmissionOutcome.NoCapacity refused:
                return Problems.NoCapacity(refused.Reason, refused.EarliestStart);
            case AdmissionOutcome.OverQuota over:
                return Problems.OverQuota(over.Tenant, over.Excesses);
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

    /// <summary>?dryRun=true: every check of a create, nothing stored; 400 with every problem, else 200 whether it fits.</summary>
    private static async Task<IResult> DryRunAsync(
        Domain.Clusters.ClusterSpecInput input, IReadOnlyList<Domain.Common.Problem> readProblems, Caller caller, PartBroker admission, CancellationToken cancellationToken)
    {
        var owner = new ClusterOwner(caller.IsProvider ? null : caller.TenantId, caller.Id);
        return await admission.DryRunAsync(input, readProblems, owner, cancellationToken) switch
        {
            AdmissionOutcome.Invalid invalid => Problems.Invalid(invalid.Problems),
            AdmissionOutcome.Fits fits => Results.Ok(new DryRunView(true, fits.Start, fits.End, null, null)),
            AdmissionOutcome.NoCapacity refused => Results.Ok(new DryRunView(false, null, null, refused.EarliestStart, refused.Reason)),
            AdmissionOutcome.OverQuota over => Results.Ok(new DryRunView(
                false, null, null, null, $"tenant {over.Tenant}'s quota leaves no room for this: " + string.Join("; ", over.Excesses))),
            var other => throw new InvalidOperationException($"a dry run cannot end {other.Label}"),
        };
    }

    private static async Task<IResult> ListAsync(
        HttpContext http, bool? all, string? phase, string? tenant, string? site, string? prefix, int? limit, string? cursor,
        Caller caller, ClusterStore clusters, SiteStore sites, TenancyStore tenancy, CancellationToken cancellationToken)
    {
        var problems = Paging.Check(limit, cursor);
        if (phase is not null && !Enum.TryParse<ClusterPhase>(phase, ignoreCase: true, out _))
        {
            problems.Add(new Domain.Common.Problem("phase", $"must be one of {string.Join(", ", Enum.GetNames<ClusterPhase>())}"));
        }

        var siteList = await sites.ListAsync(cancellationToken);
        var siteNames = siteList.ToDictionary(s => s.Id, s => s.Name);
        if (site is not null && !siteList.Any(s => s.Name == site))
        {
            problems.Add(new Domain.Common.Problem("site", $"there is no site '{site}'"));
        }

        var tenantRecord = tenant is null ? null : await tenancy.FindTenantAsync(tenant, cancellationToken);
        if (tenant is not null && (tenantRecord is null || !caller.SeesTenant(tenantRecord.Id)))
        {
            problems.Add(new Domain.Common.Problem("tenant", $"there is no tenant '{tenant}'"));
        }

        if (problems.Count > 0)
        {
            return Problems.Invalid(problems, "The list query is not valid");
        }

        var list = (await clusters.ListAsync(all ?? phase is not null, cancellationToken)).Where(caller.Sees)
            .Where(c => phase is null || string.Equals(c.Phase.ToString(), phase, StringComparison.OrdinalIgnoreCase))
            .Where(c => tenantRecord is null || c.TenantId == tenantRecord.Id)
            .Where(c => site is null || siteNames.GetValueOrDefault(c.SiteId) == site)
            .Where(c => prefix is null || c.Name.StartsWith(prefix, StringComparison.Ordinal));
        var page = Paging.Page(http, list, c => c.Id, limit, cursor, descending: true); // newest first, as before paging
        return Results.Ok(page.Select(c => Views.Cluster(c, siteNames.GetValueOrDefault(c.SiteId, "?"), null, null)).ToList());
    }

    private static async Task<IResult> GetAsync(
        HttpContext http, string name, bool? nodes, Caller caller, ClusterStore clusters, SiteStore sites, HostStore hosts, PartStore parts, CancellationToken cancellationToken)
    {
        var cluster = await clusters.FindAsync(name, cancellationToken);
        if (cluster is null || !caller.Sees(cluster))
        {
            return Problems.NotFound($"A cluster named '{name}'");
        }

        Preconditions.SetETag(http, cluster.Version);
        return Results.Ok(await ViewAsync(cluster, nodes ?? true, clusters, sites, hosts, parts, cancellationToken));
    }

    private static async Task<IResult> DeleteAsync(
        HttpContext http, string name, Caller caller, ClusterStore clusters, ClusterController controller, SiteStore sites, HostStore hosts, PartStore parts, CancellationToken cancellationToken)
    {
        var found = await clusters.FindAsync(name, cancellationToken);
        if (found is null || !caller.Sees(found))
        {
            return Problems.NotFound($"A cluster named '{name}'");
        }

        if (!caller.Manages(found))
        {
            return Problems.Forbidden($"Only its creator, a tenant-admin of its tenant or the provider may delete cluster '{name}'.");
        }

        if (Preconditions.Check(http.Request, found.Version, $"Cluster '{name}'") is { } stale)
        {
            return stale;
        }

        var cluster = await controller.RequestDeletionAsync(found.Id, cancellationToken) ?? found;
        return Results.Accepted($"/api/v1/clusters/{cluster.Name}", await ViewAsync(cluster, false, clusters, sites, hosts, parts, cancellationToken));
    }

    private static async Task<IResult> EventsAsync(string name, int? limit, Caller caller, ClusterStore clusters, EventStore events, CancellationToken cancellationToken)
    {
        var cluster = await clusters.FindAsync(name, cancellationToken);
        if (cluster is null || !caller.Sees(cluster))
        {
            return Problems.NotFound($"A cluster named '{name}'");
        }

        var list = await events.ListAsync(cluster.Id, Math.Clamp(limit ?? 200, 1, 10_000), cancellationToken);
        return Results.Ok(list.Select(Views.Event).ToList());
    }

    internal static async Task<ClusterView> ViewAsync(
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
