using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Vcm.Manager.Configuration;

namespace Vcm.Manager.Http;

/// <summary>
/// Completes every problem document the manager writes, whoever made it (a handler, a filter, the status-code pages,
/// the exception handler): an absolute type URI under the manager's URL that answers a GET, a title, a non-empty
/// detail sentence. (No instance: a 401 must not echo what was asked for.)
/// </summary>
public static class ProblemCompletion
{
    public static void Complete(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var http = context.HttpContext;
        var status = problem.Status ?? http.Response.StatusCode;
        problem.Status = status;
        var named = ProblemTypes.FromPath(problem.Type);
        var type = named ?? ProblemTypes.ForStatus(status);
        if (named is null && IsFrameworkTitle(problem.Title, status))
        {
            problem.Title = null; // the framework's title ("Bad Request") went with the framework's type
        }

        problem.Type = BaseUrl(http) + type.Path;
        problem.Title ??= type.Title;
        if (string.IsNullOrWhiteSpace(problem.Detail))
        {
            problem.Detail = Detail(status, http, context.Exception);
        }
    }

    /// <summary>
    /// Where the type URIs point: the URL the site advertises, unless it names no reachable host (a wildcard listen
    /// address), then the scheme and host the request came to.
    /// </summary>
    public static string BaseUrl(HttpContext http)
    {
        var advertised = http.RequestServices.GetService<LocalSite>()?.Url;
        if (Uri.TryCreate(advertised, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            && uri.Host is not ("0.0.0.0" or "[::]" or "+" or "*" or ""))
        {
            return uri.GetLeftPart(UriPartial.Authority);
        }

        return $"{http.Request.Scheme}://{http.Request.Host}";
    }

    private static bool IsFrameworkTitle(string? title, int status) =>
        title is null || title == ReasonPhrases.GetReasonPhrase(status) || title == "An error occurred while processing your request.";

    /// <summary>A sentence for an error that came without one.</summary>
    private static string Detail(int status, HttpContext http, Exception? exception)
    {
        var request = http.Request;
        var target = $"{request.Method} {request.PathBase}{request.Path}";
        return status switch
        {
            _ when exception is BadHttpRequestException bad => ClientErrorMessage(bad),
            StatusCodes.Status401Unauthorized => "A valid bearer token is required.",
            StatusCodes.Status404NotFound => $"Nothing answers {target}: no route matches the path.",
            StatusCodes.Status405MethodNotAllowed => http.Response.Headers.Allow.Count > 0
                ? $"{request.PathBase}{request.Path} does not take {request.Method}; it takes {http.Response.Headers.Allow}."
                : $"{request.PathBase}{request.Path} does not take {request.Method}.",
            StatusCodes.Status413PayloadTooLarge => ProblemTypes.BodyTooLarge.Description,
            StatusCodes.Status415UnsupportedMediaType =>
                $"The body's content type '{request.ContentType ?? "(none)"}' is not one {target} reads; send application/json.",
            StatusCodes.Status416RangeNotSatisfiable => ProblemTypes.RangeNotSatisfiable.Description,
            >= 500 => $"The manager failed to handle {target}; its log has the error under trace id {ProblemExceptionHandler.TraceId(http)}.",
            _ => ProblemTypes.ForStatus(status).Description,
        };
    }

    /// <summary>
    /// What the framework said about a request it could not bind (a query value of the wrong type, a body that is not
    /// JSON or not a JSON content type, a body too large), with the JSON reader's position when it has one.
    /// </summary>
    public static string ClientErrorMessage(BadHttpRequestException exception)
    {
        if (exception.InnerException is not JsonException { Path: { } path } json)
        {
            return exception.Message;
        }

        var what = json.Message.Split(" Path:")[0].TrimEnd('.'); // the position follows, in our words
        var where = json.LineNumber is { } line ? $"{path}, line {line + 1}, position {json.BytePositionInLine + 1}" : path;
        return $"{exception.Message.TrimEnd('.')}: {what} (at {where}).";
    }
}
