using Microsoft.OpenApi;

namespace Vcm.Manager.OpenApi;

/// <summary>The ways callers authenticate, as OpenAPI security schemes.</summary>
public static class SecuritySchemes
{
    public const string Bearer = "bearerToken";
    public const string AgentKey = "agentKey";
    public const string AdminToken = "adminToken";
    public const string PeerKey = "peerKey";
    public const string PeerSite = "peerSite";
    public const string SessionCookie = "sessionCookie";

    public static IReadOnlyDictionary<string, IOpenApiSecurityScheme> All { get; } = new Dictionary<string, IOpenApiSecurityScheme>
    {
        [Bearer] = Http("The site's admin token (DATA/admin.token, shown by `vcm up`) or a user's API token."),
        [AgentKey] = Http("The agent's own key, which it registered when it joined with a join token."),
        [AdminToken] = Http("The site's admin token (DATA/admin.token); accepted where agents fetch images and packages, for inspection."),
        [PeerKey] = Http("The key this site gave the calling site when it registered as a peer (`vcm peer add`); sent with the `peerSite` header."),
        [SessionCookie] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = Auth.WebSessions.Cookie,
            Description = "A browser's session (POST /api/v1/session with web: true). A request that changes something also sends the " +
                $"{Auth.WebSessions.CsrfHeader} header holding the {Auth.WebSessions.CsrfCookie} cookie's value, and from no other site's page.",
        },
        [PeerSite] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = Peers.FederationClient.SiteHeader,
            Description = "The calling site's name, whose key the bearer token is.",
        },
    };

    private static OpenApiSecurityScheme Http(string description) => new()
    {
        Type = SecuritySchemeType.Http,
        Scheme = "bearer",
        Description = description,
    };
}
