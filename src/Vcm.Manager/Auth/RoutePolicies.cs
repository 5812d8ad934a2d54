using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Domain.Tenancy;

namespace Vcm.Manager.Auth;

/// <summary>
/// Who may call each route: the one table of the API's authorization. A route missing here is refused to everyone
/// (and a test that walks the application's real route table fails for it). What a caller may do with one resource
/// — another tenant's cluster is 404 — is answered by <see cref="Caller"/>.
/// </summary>
public static class RoutePolicies
{
    private static readonly Access Reader = Access.UsersWith(Role.Reader);
    private static readonly Access Member = Access.UsersWith(Role.Member);
    private static readonly Access TenantAdmin = Access.UsersWith(Role.TenantAdmin);
    private static readonly Access Provider = Access.UsersWith(Role.Provider);

    public static readonly IReadOnlyDictionary<string, Access> Table = new Dictionary<string, Access>(StringComparer.Ordinal)
    {
        // open: nothing secret, or the handler checks a one-time token in the body
        ["GET /healthz"] = Access.Public,
        ["GET /openapi/{documentName}.json"] = Access.Public,
        ["GET /problems/{slug}"] = Access.Public,
        ["POST /api/v1/agents/join"] = Access.Public,
        ["GET /api/v1/site/ca"] = Access.Public,
        ["POST /federation/v1/peers/accept"] = Access.Public,
        ["POST /api/v1/session"] = Access.Public, // the name and password are in the body
        ["GET /api/v1/auth"] = Access.Public, // which ways of signing in the site offers
        ["GET /auth/oidc/login"] = Access.Public, // starts a sign-in at the identity provider
        ["POST /api/v1/session/cli"] = Access.Public, // the one-time code and its verifier are in the body

        // agents (with their key)
        ["POST /api/v1/agents/heartbeat"] = Access.AgentsOnly,
        ["GET /api/v1/images/{name}/manifest"] = Provider.AndAgents(),
        ["GET /api/v1/images/{name}/files/{file}"] = Provider.AndAgents(),
        ["GET /api/v1/images/{name}/chunks/{file}"] = Provider.AndAgents(),
        ["GET /api/v1/packages/{**path}"] = Provider.AndAgents(),

        // peer sites (with their key)
        ["PUT /federation/v1/parts/{cluster}"] = Access.PeersOnly,
        ["GET /federation/v1/parts/{cluster}"] = Access.PeersOnly,
        ["GET /federation/v1/capacity"] = Access.PeersOnly,
        ["DELETE /federation/v1/parts/{cluster}"] = Access.PeersOnly,
        ["PUT /federation/v1/parts/{cluster}/arrivals/{migration}"] = Access.PeersOnly,
        ["POST /federation/v1/parts/{cluster}/arrivals/{migration}/complete"] = Access.PeersOnly,
        ["DELETE /federation/v1/parts/{cluster}/arrivals/{migration}"] = Access.PeersOnly,

        // clusters: a tenant's, each answered by Caller.Sees / Caller.Manages
        ["POST /api/v1/clusters"] = Member,
        ["GET /api/v1/clusters"] = Reader,
        ["GET /api/v1/clusters/{name}"] = Reader,
        ["DELETE /api/v1/clusters/{name}"] = Member,
        ["POST /api/v1/clusters/{name}/extend"] = Member,
        ["POST /api/v1/clusters/{name}/resize"] = Member,
        ["POST /api/v1/clusters/{name}/nodes/{node}/migrate"] = Provider,
        ["GET /api/v1/clusters/{name}/migrations"] = Reader,
        ["GET /api/v1/clusters/{name}/migrations/{id}"] = Reader,
        ["GET /api/v1/clusters/{name}/events"] = Reader,
        ["GET /api/v1/clusters/{name}/watch"] = Reader,
        ["GET /api/v1/watch"] = Reader,
        ["GET /api/v1/clusters/{name}/nodes/{node}/console"] = Member,
        ["GET /api/v1/clusters/{name}/nodes/{node}/ssh"] = Member,
        ["GET /api/v1/clusters/{name}/nodes/{node}/shell"] = Member,
        ["GET /api/v1/clusters/{name}/nodes/{node}/usage"] = Reader,
        ["GET /api/v1/events"] = Reader,

        // series: a tenant's, as its clusters (Caller.SeesOwned / Caller.ManagesOwned)
        ["POST /api/v1/series"] = Member,
        ["GET /api/v1/series"] = Reader,
        ["GET /api/v1/series/{name}"] = Reader,
        ["DELETE /api/v1/series/{name}"] = Member,
        ["DELETE /api/v1/series/{name}/occurrences/{date}"] = Member,

        // the site: capacity for everyone, hosts and peers for the provider
        ["GET /api/v1/sites"] = Reader,
        ["GET /api/v1/capacity"] = Reader,
        ["GET /api/v1/capacity/fit"] = Reader,
        ["GET /api/v1/site/limits"] = Reader,
        ["PUT /api/v1/site/limits"] = Provider,
        ["GET /api/v1/hosts"] = Provider,
        ["GET /metrics"] = Provider,
        ["POST /api/v1/hosts/tokens"] = Provider,
        ["GET /api/v1/hosts/tokens"] = Provider,
        ["DELETE /api/v1/hosts/tokens/{id}"] = Provider,
        ["POST /api/v1/hosts/{name}/declare-dead"] = Provider,
        ["POST /api/v1/hosts/{name}/return"] = Provider,
        ["POST /api/v1/hosts/{name}/drain"] = Provider,
        ["POST /api/v1/hosts/{name}/undrain"] = Provider,
        ["POST /api/v1/hosts/consolidate"] = Provider,
        ["GET /api/v1/peers"] = Provider,
        ["POST /api/v1/peers"] = Provider,
        ["DELETE /api/v1/peers/{name}"] = Provider,
        ["POST /api/v1/peers/tokens"] = Provider,
        ["GET /api/v1/images"] = Reader,
        ["DELETE /api/v1/images/{name}"] = Provider,

        // tenants, users, keys, tokens
        ["GET /api/v1/whoami"] = Reader,
        ["DELETE /api/v1/session"] = Reader,
        ["GET /api/v1/audit"] = TenantAdmin,
        ["POST /api/v1/tenants"] = Provider,
        ["GET /api/v1/tenants"] = Reader,
        ["GET /api/v1/tenants/{name}"] = Reader,
        ["PUT /api/v1/tenants/{name}/quota"] = Provider,
        ["DELETE /api/v1/tenants/{name}"] = Provider,
        ["POST /api/v1/users"] = TenantAdmin,
        ["GET /api/v1/users"] = TenantAdmin,
        ["GET /api/v1/users/{name}"] = TenantAdmin,
        ["PUT /api/v1/users/{name}/role"] = TenantAdmin,
        ["PUT /api/v1/users/{name}/password"] = Reader, // its own; a tenant-admin or the provider, those it manages
        ["DELETE /api/v1/users/{name}"] = TenantAdmin,
        ["GET /api/v1/keys"] = Reader,
        ["POST /api/v1/keys"] = Reader,
        ["DELETE /api/v1/keys/{key}"] = Reader,
        ["POST /api/v1/tokens"] = Reader,
        ["GET /api/v1/tokens"] = Reader,
        ["DELETE /api/v1/tokens/{id}"] = Reader,
    };

    /// <summary>The table's key of an endpoint: "METHOD /pattern" (no trailing '/'), or null when it is not a routed endpoint.</summary>
    public static IEnumerable<string> Keys(Endpoint endpoint)
    {
        if (endpoint is not RouteEndpoint)
        {
            yield break;
        }

        var pattern = Pattern(endpoint);
        var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]; // "*": a route for every method, which the table never allows
        foreach (var method in methods)
        {
            yield return $"{method} {pattern}";
        }
    }

    /// <summary>The access of the endpoint a request was routed to; null when the table has none (refused).</summary>
    public static Access? For(Endpoint endpoint, string method) =>
        endpoint is RouteEndpoint ? Table.GetValueOrDefault($"{method} {Pattern(endpoint)}") : null;

    /// <summary>An endpoint's route pattern as the table writes it ("/api/v1/clusters/{name}"), or its display name.</summary>
    public static string Pattern(Endpoint endpoint) =>
        endpoint is RouteEndpoint route ? "/" + (route.RoutePattern.RawText ?? "").Trim('/') : endpoint.DisplayName ?? "?";
}
