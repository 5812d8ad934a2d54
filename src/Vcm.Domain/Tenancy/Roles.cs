namespace Vcm.Domain.Tenancy;

/// <summary>The roles' names as the API and the CLI write them.</summary>
public static class Roles
{
    public static readonly IReadOnlyList<Role> All = [Role.Reader, Role.Member, Role.TenantAdmin, Role.Provider];

    public static string Name(Role role) => role switch
    {
        Role.Reader => "reader",
        Role.Member => "member",
        Role.TenantAdmin => "tenant-admin",
        Role.Provider => "provider",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    public static bool TryParse(string? text, out Role role)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(Name(candidate), text, StringComparison.Ordinal))
            {
                role = candidate;
                return true;
            }
        }

        role = default;
        return false;
    }

    /// <summary>True when <paramref name="role"/> holds everything <paramref name="needed"/> may do.</summary>
    public static bool Holds(this Role role, Role needed) => role >= needed;

    public static string NameList => string.Join(", ", All.Select(Name));
}
