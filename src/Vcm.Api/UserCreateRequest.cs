namespace Vcm.Api;

/// <summary>Adds a user to a tenant with a role (reader, member, tenant-admin; provider only with no tenant), with its first SSH keys.</summary>
public sealed record UserCreateRequest(string? Name, string? Tenant, string? Role, IReadOnlyList<string>? SshKeys);
