using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vcm.Domain.Clusters;
using Vcm.Domain.Common;
using Vcm.Domain.Networking;
using Vcm.Manager.Admission;
using Vcm.Manager.Controllers;
using Vcm.Manager.Http;
using Vcm.Manager.Peers;
using Vcm.Store.Clusters;
using Vcm.Store.Federation;
using Vcm.Store.Hosts;
using Vcm.Store.Records;
using Vcm.Store.Sites;

namespace Vcm.Manager.Federation;

/// <summary>
/// /federation/v1: what peers' managers call. Accepting a peer takes a peer token; every other call takes a known
/// peer's key (checked by <see cref="Auth.AccessMiddleware"/>). A part is named by its home cluster's id; asking for it renews its lease.
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
        group.MapPost("/peers/accept", AcceptAsync).WithName("acceptPeer").Produces<PeerAcceptResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("Another site's manager registers this site as its peer with a peer token made here.");
        var parts = group.MapGroup("/parts");
        parts.MapPut("/{cluster}", PutPartAsync).WithName("putPart").Produces<PartStatus>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("A peer (the cluster's home) asks this site to admit and build part of its cluster.");
        parts.MapGet("/{cluster}", GetPartAsync).WithName("getPart").Produces<PartStatus>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The part's status; asking renews its lease.");
        parts.MapDelete("/{cluster}", DeletePartAsync).WithName("deletePart").Produces<PartStatus>().Produces<PartStatus>(StatusCodes.Status202Accepted)
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The home releases (or withdraws) the part.");
        parts.MapArrivals();
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
        SiteStore sites, ClusterStore clusters, HostStore hosts, TimeProvider clock, CancellationToken cancellationToken)
    {
        var home = (await Auth.Caller.BindAsync(http))!.Peer!;
        if (ReadAfterDeadline(http.Request, clock))
        {
            // the home gave up waiting (and withdrew the cluster) before this request was read: admit nothing
            return Problems.Conflict($"the request arrived after its deadline; site {home.Name} no longer waits for the answer");
        }

        var problems = await ValidateAsync(cluster, request, sites, cancellationToken);
        if (problems.Count > 0)
        {
            return Problems.Invalid(problems, "The part request is not valid");
        }

        var outcome = await admission.AdmitAsync(PartAdmission(home.Name, request!), cancellationToken);
        switch (outcome)
        {
            case AdmissionOutcome.Admitted admitted:
                controller.Trigger(admitted.Cluster.Id);
                return Results.Ok(await StatusAsync(admitted.Cluster, clusters, hosts, cancellationToken));
            case AdmissionOutcome.NoCapacity refused:
                return Problems.NoCapacity(refused.Reason, null);
            case AdmissionOutcome.Invalid invalid:
                return Problems.Invalid(invalid.Problems, "The part request is not valid");
            default:
                throw new InvalidOperationException("unknown admission outcome");
        }
    }

    /// <summary>A part is admitted like any cluster: its nodes all here, its spec the home's without the shared volume (that stays at the home) or sites.</summary>
    private static AdmissionRequest PartAdmission(string home, PartRequest request)
    {
        var names = request.Nodes.Select(n => new NodeName(n.Name, n.Role, n.Index)).ToList();
        return new AdmissionRequest
        {
            Spec = request.Spec with { Name = $"{request.Spec.Name}@{home}", Shared = null, Sites = [] },
            Split = _ => Split.AllHere(names),
            IdempotencyKey = $"part:{home}:{request.ClusterId}",
            Origin = new PartOrigin(home, request.ClusterId, request.Nodes, request.Vpn),
        };
    }

    private static async Task<IResult> GetPartAsync(
        string cluster, HttpContext http, ClusterStore clusters, HostStore hosts, TimeProvider clock, CancellationToken cancellationToken)
    {
        var home = (await Auth.Caller.BindAsync(http))!.Peer!;
        var part = await clusters.FindPartAsync(home.Name, cluster, cancellationToken);
        if (part is null)
        {
            return Problems.NotFound($"A part of site {home.Name}'s cluster {cluster}");
        }

        if (part.ActiveName is not null)
        {
            await clusters.RenewAsync(part.Id, clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        }

        return Results.Ok(await StatusAsync(part, clusters, hosts, cancellationToken));
    }

    private static async Task<IResult> DeletePartAsync(
        string cluster, HttpContext http, ClusterStore clusters, HostStore hosts, PartStore parts, ClusterController controller,
        CancellationToken cancellationToken)
    {
        var home = (await Auth.Caller.BindAsync(http))!.Peer!;
        var part = await clusters.FindPartAsync(home.Name, cluster, cancellationToken);
        if (part is null)
        {
            return Problems.NotFound($"A part of site {home.Name}'s cluster {cluster}");
        }

        if (part.Phase == ClusterPhase.Scheduled && part.ActiveVni is null && await parts.DeleteUnbuiltAsync(part.Id, cancellationToken))
        {
            return Results.NoContent(); // nothing was built: withdrawn at once
        }

        part = await controller.RequestDeletionAsync(part.Id, cancellationToken) ?? part;
        var status = await StatusAsync(part, clusters, hosts, cancellationToken);
        return status.Phase == ClusterPhase.Released ? Results.Ok(status) : Results.Json(status, statusCode: (int)HttpStatusCode.Accepted);
    }

    /// <summary>True when the caller's X-Vcm-Deadline has passed: it no longer waits for the answer.</summary>
    private static bool ReadAfterDeadline(HttpRequest request, TimeProvider clock) =>
        long.TryParse(request.Headers[FederationClient.DeadlineHeader], NumberStyles.None, CultureInfo.InvariantCulture, out var deadline)
        && clock.GetUtcNow().ToUnixTimeMilliseconds() > deadline;

    private static async Task<PartStatus> StatusAsync(ClusterRecord part, ClusterStore clusters, HostStore hosts, CancellationToken cancellationToken)
    {
        var nodes = await clusters.GetNodesAsync(part.Id, cancellationToken);
        var hostIds = nodes.Select(n => n.HostId).Append(part.GatewayHostId).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var records = await hosts.GetAsync(hostIds, cancellationToken);
        var gatewayHost = part.GatewayHostId is { } g && records.TryGetValue(g, out var host) ? host : null;
        return new PartStatus(
            part.Id, part.Phase, part.Reason, gatewayHost?.WanAddress ?? "", part.VpnPort ?? 0,
            nodes.Select(n => new PartNodeStatus(n.Name, n.HostId is { } id && records.TryGetValue(id, out var h) ? h.Name : "", n.State, n.BootedMs)).ToList(),
            WanList.Several(gatewayHost?.WanAddresses));
    }

    /// <summary>Checks a part request; every problem at once.</summary>
    private static async Task<IReadOnlyList<Problem>> ValidateAsync(string cluster, PartRequest? request, SiteStore sites, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return [new Problem("", "a JSON body is required")];
        }

        var problems = new List<Problem>();
        if (request.ClusterId != cluster)
        {
            problems.Add(new Problem("clusterId", "must be the cluster named in the URL"));
        }

        if (request.Spec is not { } spec)
        {
            problems.Add(new Problem("spec", "is required"));
        }
        else
        {
            if (!(await sites.CatalogAsync(cancellationToken)).Images.Contains(spec.Image))
            {
                problems.Add(new Problem("spec.image", $"this site has no image '{spec.Image}'"));
            }

            if (spec.End <= spec.Start)
            {
                problems.Add(new Problem("spec.end", "must be after start"));
            }
        }

        if (request.Nodes is not { Count: > 0 })
        {
            problems.Add(new Problem("nodes", "must list at least one node"));
        }
        else if (request.Nodes.Any(n => n is null || string.IsNullOrEmpty(n.Name)))
        {
            problems.Add(new Problem("nodes", "holds a node without a name"));
        }
        else if (request.Nodes.Select(n => n.Name).Distinct(StringComparer.Ordinal).Count() != request.Nodes.Count)
        {
            problems.Add(new Problem("nodes", "lists a name twice"));
        }
        else if (request.Spec?.Subnet is { } subnet && request.Nodes.Any(n => !Ipv4Subnet.TryParse(n.Ip + "/32", out var address, out _) || !address!.Within(subnet)))
        {
            problems.Add(new Problem("nodes", $"holds an address outside {subnet}"));
        }

        if (request.Vpn is null || request.Vpn.ServerPort is < 1 or > 65535 || !System.Net.IPAddress.TryParse(request.Vpn.ServerAddress, out _))
        {
            problems.Add(new Problem("vpn", "needs the server's address and port"));
        }
        else if (request.Vpn.ServerAddresses is { } servers
            && (servers.Count > Api.AgentRequestValidator.MaxWanPaths || servers.Any(a => !System.Net.IPAddress.TryParse(a, out _)) || servers.Distinct(StringComparer.Ordinal).Count() != servers.Count))
        {
            problems.Add(new Problem("vpn.serverAddresses", $"must be distinct IP addresses, at most {Api.AgentRequestValidator.MaxWanPaths}"));
        }

        return problems;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "a part request for cluster {Cluster} from site {Site} was read after its deadline: nothing is admitted for it")]
    private static partial void LogLatePartRequest(ILogger logger, string cluster, string site);
}
