using Microsoft.AspNetCore.Http;
using Vcm.Manager.Http;

namespace Vcm.Manager.Auth;

/// <summary>Lets a request through only with a valid admin bearer token; otherwise 401, telling nothing more.</summary>
public sealed class ApiTokenFilter(TokenCache tokens) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        var token = header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? header[prefix.Length..].Trim() : "";
        if (token.Length == 0 || token.Length > 512
            || await tokens.KindOfAsync(token, context.HttpContext.RequestAborted) != "admin")
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Problem(
                title: "Unauthorized",
                detail: "A valid bearer token is required.",
                statusCode: StatusCodes.Status401Unauthorized,
                type: Problems.UnauthorizedType);
        }

        return await next(context);
    }
}
