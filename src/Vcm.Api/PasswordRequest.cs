namespace Vcm.Api;

/// <summary>Sets a user's password for local sign-in (PUT /api/v1/users/{name}/password); null removes it.</summary>
public sealed record PasswordRequest(string? Password);
