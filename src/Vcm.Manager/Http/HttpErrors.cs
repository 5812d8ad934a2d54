using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Vcm.Manager.Http;

/// <summary>
/// How every error leaves the manager as <c>application/problem+json</c> with a detail: binding failures are thrown
/// (not answered with an empty 400) and become client problems (<see cref="ProblemExceptionHandler"/>), other exceptions a
/// 500 problem, bodiless error statuses (404, 405, 416) a problem from the status-code pages, and every problem is
/// completed the same way (<see cref="ProblemCompletion"/>).
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
        app.MapProblemPages();
    }
}
