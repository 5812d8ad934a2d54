namespace Vcm.Api;

/// <summary>Signs in with a local account (POST /api/v1/session): an API token comes back; <see cref="Expires"/> like 12h (default 12h, at most 30d).</summary>
public sealed record SignInRequest(string? User, string? Password, string? Name, string? Expires);
