using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vcm.Domain.Clusters;
using Vcm.Domain.Common;
using Vcm.Domain.Networking;
using Vcm.Manager.Admission;
using Vcm.Manager.Api;
using Vcm.Manager.Controllers;
using Vcm.Store;
using Vcm.Store.Clusters;
using Vcm.Store.Federation;
using Vcm.Store.Records;

namespace Vcm.Manager.Federation;

/// <summary>
/// /federation/v1: what peers' managers call. Accepting a peer takes a peer token; every other call takes a known
/// peer's key (<see cref="PeerAuthFilter"/>). A part is named by its home cluster's id; asking for it renews its lease.
/// </summary>
public static partial class FederationEndpoints
{
    public static void MapFederation(this WebApplication app)
    {
        // A part request read after its deadline admits nothing: the handler refuses it, or, when the caller has hung
        // up meanwhile, the request is aborted before it gets there. Either way it is logged as soon as it is read.
        var clock = app.Services.GetRequiredService<TimeProvider>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FederationEndpoints));
        app.Use(async (context, next) =>
        {
            if (HttpMethods.IsPut(context.Request.Method) && context.Request.Path.StartsWithSegments("/federation/v1/parts", out var cluster)
                && ReadAfterDeadline(context.Request, clock))
            {
                LogLatePartRequest(logger, cluster.Value!.TrimStart('/'), context.Request.Headers[FederationClient.SiteHeader].ToString());
            }

            await next(context);
        });

        var group = app.MapGroup("/federation/v1").WithTags("federation");
        group.MapPost("/peers/accept", AcceptAsync).Produces<PeerAcceptResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("Another site's manager registers this site as its peer with a peer token made here.");
        var parts = group.MapGroup("/parts").AddEndpointFilter<PeerAuthFilter>();
        parts.MapPut("/{cluster}", PutPartAsync).Produces<PartStatus>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("A peer (the cluster's home) asks this site to admit and build part of its cluster.");
        parts.MapGet("/{cluster}", GetPartAsync).Produces<PartStatus>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The part's status; asking renews its lease.");
        parts.MapDelete("/{cluster}", DeletePartAsync).Produces<PartStatus>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The home releases (or withdraws) the part.");
    }

    private static async Task<IResult> AcceptAsync(PeerAcceptRequest? request, PeerService peers, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return Problems.Invalid([new Problem("", "a JSON body with token, site, url and key is required")]);
        }

        var (problems, unauthorized, answer) = await peers.AcceptAsync(request, cancellationToken);
        if (unauthorized)
        {
            return Results.Problem(title: "Unauthorized", detail: problems[0].ToString(), statusCode: StatusCodes.Status401Unauthorized, type: Problems.UnauthorizedType);
        }

        return problems.Count > 0 ? Problems.Invalid(problems, "The peer request is not valid") : Results.Ok(answer);
    }

    private static async Task<IResult> PutPartAsync(
        string cluster, PartRequest? request, HttpContext http, ClusterAdmission admission, ClusterController controller,
        Database database, TimeProvider clock, CancellationToken cancellationToken)
    {
        var home = (PeerRecord)http.Items[PeerAuthFilter.PeerItem]!;
        if (ReadAfterDeadline(http.Request, clock))
        {
            // the home gave up waiting (and withdrew the cluster) before this request was read: admit nothing
            return Problems.Conflict($"the request arrived after its deadline; site {home.Name} no longer waits for the answer");
        }

        var (spec, problems) = await ValidateAsync(cluster, request, database, cancellationToken);
        if (problems.Count > 0)
        {
            return Problems.Invalid(problems, "The part request is not valid");
        }

        var outcome = await admission.AdmitPartAsync(home.Name, request!, spec!, cancellationToken);
        switch (outcome)
        {
            case AdmissionOutcome.Admitted admitted:
                controller.Trigger(admitted.Cluster.Id);
                return Results.Ok(await StatusAsync(database, admitted.Cluster, cancellationToken));
            case AdmissionOutcome.NoCapacity refused:
                return Problems.NoCapacity(refused.Reason, null);
            case AdmissionOutcome.Invalid invalid:
                return Problems.Invalid(invalid.Problems, "The part request is not valid");
            default:
                throw new InvalidOperationException("unknown admission outcome");
        }
    }

    private static async Task<IResult> GetPartAsync(string cluster, HttpContext http, Database database, TimeProvider clock, CancellationToken cancellationToken)
    {
        var home = (PeerRecord)http.Items[PeerAuthFilter.PeerItem]!;
        await using var db = database.CreateContext();
        var part = await Latest(db.Clusters, home.Name, cluster).FirstOrDefaultAsync(cancellationToken);
        if (part is null)
        {
            return Problems.NotFound($"A part of site {home.Name}'s cluster {cluster}");
        }

        if (part.ActiveName is not null)
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            await db.Clusters.Where(c => c.Id == part.Id).ExecuteUpdateAsync(u => u.SetProperty(c => c.RenewedMs, now), cancellationToken);
        }

        return Results.Ok(await StatusAsync(database, part, cancellationToken));
    }

    private static async Task<IResult> DeletePartAsync(
        string cluster, HttpContext http, Database database, PartStore parts, ClusterLeases leases, ClusterController controller,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var home = (PeerRecord)http.Items[PeerAuthFilter.PeerItem]!;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await using var db = database.CreateContext();
            var part = await Latest(db.Clusters.AsTracking(), home.Name, cluster).FirstOrDefaultAsync(cancellationToken);
            if (part is null)
            {
                return Problems.NotFound($"A part of site {home.Name}'s cluster {cluster}");
            }

            if (part.Phase == nameof(ClusterPhase.Scheduled) && part.ActiveVni is null && await parts.DeleteUnbuiltAsync(part.Id, cancellationToken))
            {
                return Results.NoContent(); // nothing was built: withdrawn at once
            }

            if (part.DeletionRequestedMs is null && part.ActiveName is not null)
            {
                var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
                part.DeletionRequestedMs = now;
                part.Generation++;
                part.UpdatedMs = now;
                if (!await ClusterStore.SaveAsync(db, cancellationToken))
                {
                    continue;
                }

                await leases.RequestAsync(part.Id, now, cancellationToken);
                controller.Trigger(part.Id);
            }

            var status = await StatusAsync(database, part, cancellationToken);
            return status.Phase == nameof(ClusterPhase.Released) ? Results.Ok(status) : Results.Json(status, statusCode: (int)HttpStatusCode.Accepted);
        }

        return Problems.Conflict("The part kept changing; try again.");
    }

    /// <summary>True when the caller's X-Vcm-Deadline has passed: it no longer waits for the answer.</summary>
    private static bool ReadAfterDeadline(HttpRequest request, TimeProvider clock) =>
        long.TryParse(request.Headers[FederationClient.DeadlineHeader], NumberStyles.None, CultureInfo.InvariantCulture, out var deadline)
        && clock.GetUtcNow().ToUnixTimeMilliseconds() > deadline;

    /// <summary>The part built here for <paramref name="home"/>'s cluster, newest first.</summary>
    private static IQueryable<ClusterRecord> Latest(IQueryable<ClusterRecord> clusters, string home, string cluster) =>
        clusters.Where(c => c.HomeSite == home && c.HomeClusterId == cluster).OrderByDescending(c => c.CreatedMs);

    private static async Task<PartStatus> StatusAsync(Database database, ClusterRecord part, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var nodes = await db.Nodes.Where(n => n.ClusterId == part.Id).OrderBy(n => n.Idx).ToListAsync(cancellationToken);
        var hostIds = nodes.Select(n => n.HostId).Append(part.GatewayHostId).Where(h => h is not null).Distinct().ToList();
        var hosts = await db.Hosts.Where(h => hostIds.Contains(h.Id)).ToDictionaryAsync(h => h.Id, cancellationToken);
        var gateway = part.GatewayHostId is { } g && hosts.TryGetValue(g, out var host) ? host.WanAddress ?? "" : "";
        var port = part.PartSpec is { } spec ? PeerPart.Deserialize(spec).ClientPort : 0;
        return new PartStatus(
            part.Id, part.Phase, part.Reason, gateway, port,
            nodes.Select(n => new PartNodeStatus(n.Name, n.HostId is { } id && hosts.TryGetValue(id, out var h) ? h.Name : "", n.State, n.BootedMs)).ToList());
    }

    /// <summary>Checks a part request; every problem at once.</summary>
    private static async Task<(StoredSpec? Spec, IReadOnlyList<Problem> Problems)> ValidateAsync(
        string cluster, PartRequest? request, Database database, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return (null, [new Problem("", "a JSON body is required")]);
        }

        var problems = new List<Problem>();
        if (request.ClusterId != cluster)
        {
            problems.Add(new Problem("clusterId", "must be the cluster named in the URL"));
        }

        StoredSpec? spec = null;
        try
        {
            spec = StoredSpec.Deserialize(request.Spec);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            problems.Add(new Problem("spec", "is not a cluster spec"));
        }

        if (spec is not null)
        {
            await using var db = database.CreateContext();
            if (!await db.Images.AnyAsync(i => i.Name == spec.Image, cancellationToken))
            {
                problems.Add(new Problem("spec.image", $"this site has no image '{spec.Image}'"));
            }
        }

        if (request.End <= request.Start)
        {
            problems.Add(new Problem("end", "must be after start"));
        }

        if (!Ipv4Subnet.TryParse(request.Subnet, out var subnet, out _))
        {
            problems.Add(new Problem("subnet", "is not a subnet"));
        }

        if (request.Nodes is not { Count: > 0 })
        {
            problems.Add(new Problem("nodes", "must list at least one node"));
        }
        else if (request.Nodes.Select(n => n.Name).Distinct(StringComparer.Ordinal).Count() != request.Nodes.Count)
        {
            problems.Add(new Problem("nodes", "lists a name twice"));
        }
        else if (subnet is not null && request.Nodes.Any(n => !Ipv4Subnet.TryParse(n.Ip + "/32", out var address, out _) || !address!.Within(subnet)))
        {
            problems.Add(new Problem("nodes", $"holds an address outside {subnet}"));
        }

        if (request.Vpn is null || request.Vpn.ServerPort is < 1 or > 65535 || !System.Net.IPAddress.TryParse(request.Vpn.ServerAddress, out _))
        {
            problems.Add(new Problem("vpn", "needs the server's address and port"));
        }

        return (problems.Count == 0 ? spec : null, problems);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "a part request for cluster {Cluster} from site {Site} was read after its deadline: nothing is admitted for it")]
    private static partial void LogLatePartRequest(ILogger logger, string cluster, string site);
}
