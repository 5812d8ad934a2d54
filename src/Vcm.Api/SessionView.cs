namespace Vcm.Api;

/// <summary>A browser's session, as signing in on the web answers it (the secret is only in the HttpOnly cookie).</summary>
public sealed record SessionView(string User, string? Tenant, string Role, DateTimeOffset Expires);
