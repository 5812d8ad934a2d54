using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Vcm.Manager.Http;

/// <summary>
/// GET /problems/{slug}: what a problem type means — the URL every problem's <c>type</c> names. A small HTML page,
/// or JSON when the request's Accept asks for it. Needs no token.
/// </summary>
public static class ProblemPages
{
    public static void MapProblemPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/problems/{slug}", Describe)
            .WithName("describeProblemType")
            .WithTags("problems")
            .Produces<ProblemTypeView>(contentType: "application/json")
            .Produces<string>(contentType: "text/html")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("What a problem type means: the page every problem's `type` URI names.");
    }

    private static IResult Describe(string slug, HttpRequest request)
    {
        if (ProblemTypes.Find(slug) is not { } type)
        {
            return Problems.NotFound($"A problem type '{slug}'");
        }

        var uri = ProblemCompletion.BaseUrl(request.HttpContext) + type.Path;
        var view = new ProblemTypeView(uri, type.Title, type.Status == 0 ? null : type.Status, type.Description);
        return WantsJson(request) ? Results.Json(view) : Results.Content(Html(view), "text/html; charset=utf-8");
    }

    private static bool WantsJson(HttpRequest request) =>
        MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)
        && accepted.Where(a => a.Quality is not 0).OrderByDescending(a => a.Quality ?? 1).FirstOrDefault() is { } best
        && best.SubType.Value is { } sub && (sub == "json" || sub.EndsWith("+json", StringComparison.Ordinal));

    private static string Html(ProblemTypeView view)
    {
        var status = view.Status is { } s ? $"<p>HTTP status {s}.</p>" : "";
        return $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(view.Title)}</title></head>
            <body>
            <h1>{WebUtility.HtmlEncode(view.Title)}</h1>
            {status}
            <p>{WebUtility.HtmlEncode(view.Description)}</p>
            <p>A vcm manager answers with this problem type (<code>{WebUtility.HtmlEncode(view.Type)}</code>) as
            RFC 9457 problem details (<code>application/problem+json</code>): <code>title</code>, <code>status</code>,
            a <code>detail</code> sentence, and for invalid requests <code>errors</code>, one per field.</p>
            </body></html>
            """;
    }
}
