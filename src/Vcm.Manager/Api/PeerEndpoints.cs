using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Api;
using Vcm.Manager.Http;
using Vcm.Manager.Peers;
using Vcm.Store.Federation;

namespace Vcm.Manager.Api;

/// <summary>/api/v1/peers: the sites this site federates with (admin).</summary>
public static class PeerEndpoints
{
    public static void MapPeers(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/peers").WithTags("peers");
        group.MapGet("/", ListAsync).WithName("listPeers").Produces<IReadOnlyList<PeerView>>().WithSummary("The peer sites.");
        group.MapPost("/", AddAsync).WithName("addPeer").Produces<PeerView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status502BadGateway)
            .WithSummary("Register a peer site: exchange keys with its manager using a peer token made there.");
        group.MapDelete("/{name}", RemoveAsync).WithName("removePeer").Produces<PeerView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Forget a peer site (its key is no longer accepted here).");
        group.MapPost("/tokens", CreateTokenAsync).WithName("createPeerToken").Produces<PeerTokenView>(StatusCodes.Status201Created)
            .WithSummary("A one-time token (valid 1 hour) with which another site registers this one as its peer.");
    }

    private static async Task<IResult> ListAsync(PeerStore peers, CancellationToken cancellationToken) =>
        Results.Ok((await peers.ListAsync(cancellationToken)).Select(PeerService.View).ToList());

    private static async Task<IResult> AddAsync(PeerAddRequest? request, PeerService service, CancellationToken cancellationToken)
    {
        request ??= new PeerAddRequest(null, null, null);
        var problems = service.Validate(request);
        if (problems.Count > 0)
        {
            return Problems.Invalid(problems, "The peer request is not valid");
        }

        try
        {
            var peer = await service.AddAsync(request, cancellationToken);
            return Results.Created($"/api/v1/peers/{peer.Name}", PeerService.View(peer));
        }
        catch (PeerCallException e)
        {
            return Results.Problem(
                title: $"Site {e.Site} was not added as a peer",
                detail: e.Message + ".",
                statusCode: StatusCodes.Status502BadGateway,
                type: Problems.PeerType,
                extensions: new Dictionary<string, object?> { ["site"] = e.Site });
        }
    }

    private static async Task<IResult> RemoveAsync(string name, PeerStore peers, PartStore parts, PeerService service, CancellationToken cancellationToken)
    {
        var peer = await peers.FindAsync(name, cancellationToken);
        if (peer is null)
        {
            return Problems.NotFound($"A peer named '{name}'");
        }

        var live = await parts.LiveClustersWithAsync(name, 5, cancellationToken);
        if (live.Count > 0)
        {
            return Problems.Conflict($"Site {name} still takes part in live clusters ({string.Join(", ", live)}); delete them first.");
        }

        await service.RemoveAsync(name, cancellationToken);
        return Results.Ok(PeerService.View(peer));
    }

    private static async Task<IResult> CreateTokenAsync(PeerService service, CancellationToken cancellationToken)
    {
        var token = await service.CreateTokenAsync(cancellationToken);
        return Results.Created("/api/v1/peers", token);
    }
}
