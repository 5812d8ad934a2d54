using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Domain.Common;
using Vcm.Manager.Admission;
using Vcm.Manager.Http;
using Vcm.Manager.Peers;
using Vcm.Store.Clusters;
using Vcm.Store.Hosts;
using Vcm.Store.Records;

namespace Vcm.Manager.Federation;

/// <summary>
/// /federation/v1/parts/{cluster}/arrivals/{migration}: the home of a cluster moves one of its nodes into this site's
/// part by a live migration (see <see cref="Controllers.ClusterReconciler"/>'s cross-site half). PUT admits the arrival
/// (asked again: its status), POST …/complete says the node switched over, DELETE gives it up.
/// </summary>
public static class ArrivalEndpoints
{
    public static void MapArrivals(this RouteGroupBuilder parts)
    {
        parts.MapPut("/{cluster}/arrivals/{migration}", PutAsync).WithName("putArrival").Produces<ArrivalStatus>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("The cluster's home moves one of its nodes here by a live migration: admitted against this site's calendar like a part (409 listing every reason it cannot); asked again, the arrival's status.");
        parts.MapPost("/{cluster}/arrivals/{migration}/complete", CompleteAsync).WithName("completeArrival").Produces<ArrivalStatus>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("The home says the arriving node switched over: this site's copy is the node now.");
        parts.MapDelete("/{cluster}/arrivals/{migration}", DeleteAsync).WithName("deleteArrival").Produces<ArrivalStatus>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("The home gives the arrival up (the node stays there): the host is freed and the receiver removed.");
    }

    private static async Task<IResult> PutAsync(
        string cluster, string migration, ArrivalRequest? request, HttpContext http, ClusterChanges changes, ClusterStore clusters, HostStore hosts,
        CancellationToken cancellationToken)
    {
        var home = (await Auth.Caller.BindAsync(http))!.Peer!;
        var problems = Validate(request);
        if (problems.Count > 0)
        {
            return Problems.Invalid(problems, "The arrival request is not valid");
        }

        var part = await clusters.FindPartAsync(home.Name, cluster, cancellationToken);
        if (part?.ActiveName is null)
        {
            return Problems.NotFound($"A live part of site {home.Name}'s cluster {cluster}");
        }

        return await AnswerAsync(await changes.ArriveAsync(part.ActiveName, migration, request!, home.Name, cancellationToken), hosts, cancellationToken);
    }

    private static async Task<IResult> CompleteAsync(
        string cluster, string migration, HttpContext http, ClusterChanges changes, ClusterStore clusters, HostStore hosts, CancellationToken cancellationToken)
    {
        var home = (await Auth.Caller.BindAsync(http))!.Peer!;
        var part = await clusters.FindPartAsync(home.Name, cluster, cancellationToken);
        return part?.ActiveName is null
            ? Problems.NotFound($"A live part of site {home.Name}'s cluster {cluster}")
            : await AnswerAsync(await changes.CompleteArrivalAsync(part.ActiveName, migration, home.Name, cancellationToken), hosts, cancellationToken);
    }

    private static async Task<IResult> DeleteAsync(
        string cluster, string migration, HttpContext http, ClusterChanges changes, ClusterStore clusters, HostStore hosts, CancellationToken cancellationToken)
    {
        var home = (await Auth.Caller.BindAsync(http))!.Peer!;
        var part = await clusters.FindPartAsync(home.Name, cluster, cancellationToken);
        return part?.ActiveName is null
            ? Problems.NotFound($"A live part of site {home.Name}'s cluster {cluster}")
            : await AnswerAsync(await changes.AbortArrivalAsync(part.ActiveName, migration, home.Name, cancellationToken), hosts, cancellationToken);
    }

    private static async Task<IResult> AnswerAsync(ChangeOutcome outcome, HostStore hosts, CancellationToken cancellationToken) => outcome switch
    {
        ChangeOutcome.MigrationAdmitted admitted => Results.Ok(await StatusAsync(admitted.Migration, hosts, cancellationToken)),
        ChangeOutcome.NotFound notFound => Problems.NotFound($"The arrival {notFound.Name}"),
        ChangeOutcome.Invalid invalid => Problems.Invalid(invalid.Problems, "The arrival request is not valid"),
        ChangeOutcome.Refused refused => Problems.Conflict(string.Join("; ", refused.Problems.Select(p => p.Message)), refused.Problems),
        ChangeOutcome.Conflict conflict => Problems.Conflict(conflict.Reason),
        _ => Problems.Conflict("the part cannot take the node now"),
    };

    private static async Task<ArrivalStatus> StatusAsync(MigrationRecord migration, HostStore hosts, CancellationToken cancellationToken)
    {
        var host = migration.ToHostId is { } id ? (await hosts.GetAsync([id], cancellationToken)).GetValueOrDefault(id)?.Name : null;
        return new ArrivalStatus(migration.Id, host ?? "", migration.State, migration.PreparedMs is not null, migration.Error, migration.ReceiverImage);
    }

    private static List<Problem> Validate(ArrivalRequest? request)
    {
        if (request?.Node is not { } node)
        {
            return [new Problem("node", "the arriving node is required")];
        }

        var problems = new List<Problem>();
        if (string.IsNullOrWhiteSpace(node.Name))
        {
            problems.Add(new("node.name", "the node's name is required"));
        }

        if (!System.Net.IPAddress.TryParse(node.Ip, out _))
        {
            problems.Add(new("node.ip", $"'{node.Ip}' is not an address"));
        }

        if (node.Mac is not { Length: 17 })
        {
            problems.Add(new("node.mac", $"'{node.Mac}' is not a MAC address"));
        }

        if (string.IsNullOrWhiteSpace(node.Token))
        {
            problems.Add(new("node.token", "the node's metadata token is required"));
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            problems.Add(new("reason", "the reason is required"));
        }

        return problems;
    }
}
