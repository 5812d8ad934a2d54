using Microsoft.AspNetCore.Http;
using Vcm.Manager.Http;
using Vcm.Store.Federation;

namespace Vcm.Manager.Federation;

/// <summary>
/// Lets a federation call through only from a known peer presenting its key (X-Vcm-Site names it, the bearer token
/// is its key); the peer is put in the request's items for the endpoint.
/// </summary>
public sealed class PeerAuthFilter(PeerStore peers) : IEndpointFilter
{
    public const string PeerItem = "vcm.peer";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var header = request.Headers.Authorization.ToString();
        var key = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
        var name = request.Headers[Peers.FederationClient.SiteHeader].ToString();
        if (key.Length is > 0 and <= 512 && name.Length is > 0 and <= 64
            && await peers.AuthenticateAsync(name, key, context.HttpContext.RequestAborted) is { } peer)
        {
            context.HttpContext.Items[PeerItem] = peer;
            return await next(context);
        }

        context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(
            title: "Unauthorized",
            detail: $"this site does not know a peer '{name}' with that key",
            statusCode: StatusCodes.Status401Unauthorized,
            type: Problems.UnauthorizedType);
    }
}
