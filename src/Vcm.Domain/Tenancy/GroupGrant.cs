namespace Vcm.Domain.Tenancy;

/// <summary>
/// What membership of one group at the site's identity provider gives: a role in a tenant, or the provider role (no
/// tenant). Written `GROUP=TENANT:ROLE` or `GROUP=provider`.
/// </summary>
public sealed record GroupGrant(string Group, string? Tenant, Role Role)
{
    public const string Syntax = "GROUP=TENANT:ROLE (ROLE reader, member or tenant-admin) or GROUP=provider";

    public override string ToString() => Tenant is null ? $"{Group}=provider" : $"{Group}={Tenant}:{Roles.Name(Role)}";

    /// <summary>Reads `GROUP=TENANT:ROLE` or `GROUP=provider`; false with the reason when it is not one.</summary>
    public static bool TryParse(string text, out GroupGrant? grant, out string problem)
    {
        grant = null;
        problem = "";
        var equals = text.LastIndexOf('=');
        var group = equals > 0 ? text[..equals] : "";
        var target = equals > 0 ? text[(equals + 1)..] : "";
        if (group.Length is 0 or > 256 || group.Any(char.IsControl))
        {
            problem = $"'{text}' names no group; write {Syntax}";
            return false;
        }

        if (target == "provider")
        {
            grant = new GroupGrant(group, null, Role.Provider);
            return true;
        }

        var colon = target.IndexOf(':', StringComparison.Ordinal);
        var tenant = colon > 0 ? target[..colon] : "";
        var roleName = colon > 0 ? target[(colon + 1)..] : "";
        if (!AccountName.IsValid(tenant))
        {
            problem = $"'{text}' names no valid tenant; write {Syntax}";
            return false;
        }

        if (!Roles.TryParse(roleName, out var role) || role == Role.Provider)
        {
            problem = $"'{text}' gives no tenant role (reader, member or tenant-admin); write {Syntax}";
            return false;
        }

        grant = new GroupGrant(group, tenant, role);
        return true;
    }
}
