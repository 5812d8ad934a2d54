namespace Vcm.Api;

/// <summary>Sets a user's role.</summary>
public sealed record RoleRequest(string? Role);
