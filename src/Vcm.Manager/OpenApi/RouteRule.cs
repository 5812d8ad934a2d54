namespace Vcm.Manager.OpenApi;

/// <summary>
/// Which OpenAPI document a route belongs to and how its callers authenticate. The first rule that matches a route
/// counts.
/// </summary>
/// <param name="Prefix">A route pattern with a leading '/'; ending in '/', it matches every route under it.</param>
/// <param name="Document">The document's name: v1, agent or federation.</param>
/// <param name="Security">
/// The ways to authenticate, any one of which is enough; each names the security schemes that must all be present.
/// Empty: the route is public (no bearer token), which the document states as an empty requirement.
/// </param>
/// <param name="Method">The one HTTP method the rule covers, or null for every method.</param>
public sealed record RouteRule(string Prefix, string Document, IReadOnlyList<IReadOnlyList<string>> Security, string? Method = null)
{
    public bool IsPublic => Security.Count == 0;

    /// <summary>True for a route pattern (like <c>/api/v1/clusters/{name}</c>, a trailing '/' ignored) this rule covers.</summary>
    public bool Matches(string pattern, string? method = null)
    {
        if (Method is not null && method is not null && !string.Equals(Method, method, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        pattern = "/" + pattern.Trim('/');
        return Prefix.EndsWith('/') ? pattern.StartsWith(Prefix, StringComparison.Ordinal) : pattern == Prefix;
    }
}
