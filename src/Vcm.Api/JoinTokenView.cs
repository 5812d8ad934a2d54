namespace Vcm.Api;

/// <summary>A token with which an agent on a new host joins the site.</summary>
public sealed record JoinTokenView(string Token, DateTimeOffset ExpiresAt, string JoinUrl);
