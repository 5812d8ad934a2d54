using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Vcm.Manager.Http;

/// <summary>
/// Turns an exception out of a request into a problem. A request the framework could not read or bind
/// (<see cref="BadHttpRequestException"/>: a query or path value of the wrong type, a body that is not JSON, a content
/// type the endpoint does not read, a body over the size limit) is the client's error: a problem of the exception's
/// status (400, 413, 415) saying what was wrong, not logged as a failure. Any other exception is the manager's: logged
/// with the request's trace id, and answered 500 with that id and nothing of the exception.
/// </summary>
public sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Response.HasStarted)
        {
            return false;
        }

        var problem = new ProblemDetails();
        if (exception is BadHttpRequestException bad)
        {
            problem.Status = bad.StatusCode;
            problem.Detail = ProblemCompletion.ClientErrorMessage(bad);
        }
        else
        {
            var traceId = TraceId(httpContext);
            LogFailure(logger, httpContext.Request.Method, httpContext.Request.Path, traceId, exception);
            problem.Status = StatusCodes.Status500InternalServerError;
            problem.Detail = $"The manager failed to handle {httpContext.Request.Method} {httpContext.Request.Path}; its log has the error under trace id {traceId}.";
        }

        httpContext.Response.StatusCode = problem.Status.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, Exception = exception, ProblemDetails = problem });
    }

    /// <summary>The id the problem's <c>traceId</c> carries (as ASP.NET Core's problem writer picks it).</summary>
    public static string TraceId(HttpContext httpContext) => Activity.Current?.Id ?? httpContext.TraceIdentifier;

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed (trace id {TraceId})")]
    private static partial void LogFailure(ILogger logger, string method, string path, string traceId, Exception exception);
}
