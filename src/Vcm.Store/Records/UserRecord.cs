namespace Vcm.Store.Records;

/// <summary>A user: a member of one tenant with a role, or a provider of the site (no tenant).</summary>
public sealed class UserRecord
{
    public required string Id { get; set; }

    public required string Name { get; set; }

    public string? TenantId { get; set; }

    /// <summary>reader, member, tenant-admin or provider (<see cref="Vcm.Domain.Tenancy.Roles"/>).</summary>
    public required string Role { get; set; }

    public long CreatedMs { get; set; }

    /// <summary>The user's password as a salted hash (ASP.NET Core Identity's PBKDF2 format), or null: no password sign-in.</summary>
    public string? PasswordHash { get; set; }

    public long Version { get; set; } = 1;
}
