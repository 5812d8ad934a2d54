using Microsoft.AspNetCore.Http;
using Vcm.Manager.Http;
using Vcm.Store.Hosts;

namespace Vcm.Manager.Auth;

/// <summary>Lets a request through with the admin token or the key of a known agent (for what agents fetch).</summary>
public sealed class AgentOrAdminFilter(TokenCache tokens, HostStore hosts) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
        var ct = context.HttpContext.RequestAborted;
        if (token.Length is > 0 and <= 512
            && (await tokens.KindOfAsync(token, ct) == "admin" || await hosts.IsAgentKeyAsync(token, ct)))
        {
            return await next(context);
        }

        context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(title: "Unauthorized", detail: "A valid bearer token is required.", statusCode: StatusCodes.Status401Unauthorized, type: Problems.UnauthorizedType);
    }
}
