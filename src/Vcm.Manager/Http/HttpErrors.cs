using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Vcm.Manager.Http;

/// <summary>
/// How every error leaves the manager as <c>application/problem+json</c> with a detail: binding failures are thrown
/// (not answered with an empty 400) and become client problems (<see cref="ProblemExceptionHandler"/>), other
/// exceptions a 500 problem; bodiless error statuses (404, 405) get a problem from the status-code pages, and errors
/// sent with an explicitly empty body (a file's 416) one too; every problem is completed the same way
/// (<see cref="ProblemCompletion"/>).
/// </summary>
public static class HttpErrors
{
    public static IServiceCollection AddHttpErrors(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemCompletion.Complete);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    public static void UseHttpErrors(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(async (context, next) =>
        {
            await next(context);
            await WriteEmptyErrorAsync(context);
        });
        app.MapProblemPages();
    }

    /// <summary>
    /// Gives a problem body to an error answered with an explicitly empty one (a file result's 416 sets
    /// Content-Length: 0, which the status-code pages leave alone); its other headers (Content-Range) stay.
    /// </summary>
    private static async Task WriteEmptyErrorAsync(HttpContext context)
    {
        var response = context.Response;
        if (response.HasStarted || response.StatusCode < 400 || response.ContentLength != 0)
        {
            return;
        }

        response.ContentLength = null;
        response.ContentType = null;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext { HttpContext = context });
    }
}
