namespace Vcm.Api;

/// <summary>Who the caller's token signs in as, at which site, and the token's id.</summary>
public sealed record WhoAmIView(string User, string? Tenant, string Role, string Site, string? TokenId);
