namespace Vcm.Domain.Tenancy;

/// <summary>
/// Which grant a user's groups give, read again at every sign-in: among the grants whose group the user is in, the
/// highest role; of equal roles, the one configured first. None: the user is in no mapped group and is refused.
/// </summary>
public static class GroupGrants
{
    public static GroupGrant? Choose(IReadOnlyList<GroupGrant> grants, IEnumerable<string> groups)
    {
        var held = groups.ToHashSet(StringComparer.Ordinal);
        GroupGrant? best = null;
        foreach (var grant in grants)
        {
            if (held.Contains(grant.Group) && (best is null || grant.Role > best.Role))
            {
                best = grant;
            }
        }

        return best;
    }
}
