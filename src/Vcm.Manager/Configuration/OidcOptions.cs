using Vcm.Domain.Tenancy;

namespace Vcm.Manager.Configuration;

/// <summary>
/// Single sign-on through the site's OpenID Connect provider (authorization code + PKCE). The manager is a
/// confidential client of it; the provider's group claim decides each user's tenant and role at every sign-in.
/// </summary>
public sealed record OidcOptions
{
    /// <summary>The provider's issuer URL (its discovery document is ISSUER/.well-known/openid-configuration).</summary>
    public required string Issuer { get; init; }

    public required string ClientId { get; init; }

    public required string ClientSecret { get; init; }

    /// <summary>What the sign-in button says (GET /api/v1/auth tells it).</summary>
    public string Name { get; init; } = "Single sign-on";

    /// <summary>The ID token or user-info claim that lists the user's groups.</summary>
    public string GroupClaim { get; init; } = "groups";

    /// <summary>The scopes asked for, separated by spaces; must include openid.</summary>
    public string Scopes { get; init; } = "openid profile";

    /// <summary>Which group gives which tenant and role; a user in none of them is refused.</summary>
    public IReadOnlyList<GroupGrant> Groups { get; init; } = [];

    /// <summary>Where the provider sends the browser after it ends its session; null: the manager's advertised URL + "/".</summary>
    public string? PostLogoutRedirect { get; init; }
}
