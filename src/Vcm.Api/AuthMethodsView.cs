namespace Vcm.Api;

/// <summary>How one signs in here: with a local account's password, and through an OpenID provider when one is configured.</summary>
public sealed record AuthMethodsView(bool Password, OidcMethodView? Oidc);

/// <summary>A configured OpenID provider: its display name and the path that starts signing in through it.</summary>
public sealed record OidcMethodView(string Name, string Login);
