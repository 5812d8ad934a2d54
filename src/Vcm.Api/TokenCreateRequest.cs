namespace Vcm.Api;

/// <summary>Makes an API token for the caller, or for <see cref="User"/> whom the caller manages; <see cref="Expires"/> like 30d (none: never).</summary>
public sealed record TokenCreateRequest(string? User, string? Name, string? Expires);
