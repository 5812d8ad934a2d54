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

    /// <summary>The identity provider that signs this user in (its issuer URL), or null: a local account.</summary>
    public string? OidcIssuer { get; set; }

    /// <summary>The user's subject at <see cref="OidcIssuer"/>: with it, what finds the user again at each sign-in.</summary>
    public string? OidcSubject { get; set; }

    public long Version { get; set; } = 1;
}
