using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using static Vcm.Manager.OpenApi.SecuritySchemes;

namespace Vcm.Manager.OpenApi;

/// <summary>
/// The manager's OpenAPI documents, served at /openapi/NAME.json: <c>v1</c>, the public API users and the CLI call;
/// <c>agent</c>, what host agents call; <c>federation</c>, what peer sites' managers call. <see cref="Rules"/> puts
/// every route in one of them and says how its callers authenticate.
/// </summary>
public static class ApiDocuments
{
    public static IReadOnlyList<ApiDocument> All { get; } =
    [
        new("v1", "vcm API",
            "Reserve, inspect and release virtual clusters on a vcm site; its hosts, images, sites and peers. " +
            "Errors are RFC 9457 problem details (application/problem+json) whose `type` URI describes the problem."),
        new("agent", "vcm agent API",
            "What a vcm host agent calls on its site's manager: join with a join token, report with its own key, and " +
            "fetch base images and packages for its hosts."),
        new("federation", "vcm federation API",
            "What a peer site's manager calls on this one: register as a peer with a peer token, and ask for, watch " +
            "and release parts of its clusters (authenticated by the key exchanged at registration)."),
    ];

    private static readonly IReadOnlyList<IReadOnlyList<string>> Public = [];

    /// <summary>Every route of the manager: which document describes it, and how its callers authenticate.</summary>
    public static IReadOnlyList<RouteRule> Rules { get; } =
    [
        new("/healthz", "v1", Public),
        new("/problems/", "v1", Public),
        new("/metrics", "v1", [[Bearer]]), // a provider's token, as a Prometheus scrape config's authorization sends it
        new("/openapi/", "v1", Public), // the documents themselves; not described in them
        new("/api/v1/agents/join", "agent", Public), // the join token is in the body
        new("/api/v1/session", "v1", Public, "POST"), // the name and password are in the body
        new("/api/v1/auth", "v1", Public), // which ways of signing in the site offers
        new("/api/v1/session/cli", "v1", Public), // the one-time code and its verifier are in the body
        new("/auth/oidc/login", "v1", Public), // a browser starts a single sign-on
        new("/api/v1/agents/", "agent", [[AgentKey]]),
        new("/api/v1/images/{name}/", "agent", [[AgentKey], [AdminToken]]),
        new("/api/v1/packages/", "agent", [[AgentKey], [AdminToken]]),
        new("/federation/v1/peers/accept", "federation", Public), // the peer token is in the body
        new("/federation/v1/", "federation", [[PeerKey, PeerSite]]),
        new("/api/v1/", "v1", [[Bearer], [SessionCookie]]),
    ];

    public static RouteRule? RuleFor(string pattern, string? method = null) => Rules.FirstOrDefault(r => r.Matches(pattern, method));

    public static IServiceCollection AddApiDocuments(this IServiceCollection services, Action<OpenApiOptions> configure)
    {
        foreach (var document in All)
        {
            services.AddOpenApi(document.Name, o =>
            {
                o.ShouldInclude = d => d.RelativePath is { } path && RuleFor(path)?.Document == document.Name;
                o.AddDocumentTransformer(new DocumentShape(document).TransformAsync);
                o.AddOperationTransformer(OperationShape.TransformAsync);
                configure(o);
            });
        }

        return services;
    }

    /// <summary>Serves /openapi/{name}.json for every document.</summary>
    public static void MapApiDocuments(this WebApplication app) => app.MapOpenApi("/openapi/{documentName}.json");
}
