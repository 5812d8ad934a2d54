using Vcm.Domain.Clusters;
using Vcm.Domain.Common;
using Vcm.Manager.Auth;
using Vcm.Store.Tenancy;

namespace Vcm.Manager.Api;

/// <summary>
/// A cluster gets its creator's registered SSH keys, and those of the tenant's users named in keysOf, besides the
/// keys in the request (each key once).
/// </summary>
public static class ClusterKeys
{
    public static async Task<(ClusterSpecInput Input, IReadOnlyList<Problem> Problems)> AddUsersKeysAsync(
        ClusterSpecInput input, Caller caller, TenancyStore tenancy, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        var userIds = new List<string> { caller.Id };
        var names = input.KeysOf ?? [];
        for (var i = 0; i < names.Count; i++)
        {
            var user = names[i] is { } name ? await tenancy.FindUserAsync(name, cancellationToken) : null;
            if (user is null || !(user.TenantId is null ? caller.IsProvider : caller.SeesTenant(user.TenantId)))
            {
                problems.Add(new Problem($"keysOf[{i}]", $"there is no user '{names[i]}' in your tenant"));
            }
            else
            {
                userIds.Add(user.Id);
            }
        }

        var registered = await tenancy.PublicKeysAsync(userIds, cancellationToken);
        if (registered.Count == 0)
        {
            return (input, problems);
        }

        var given = input.SshKeys ?? [];
        var fingerprints = given.Where(k => k is not null && SshPublicKey.TryValidate(k.Trim(), out _)).Select(k => SshKeyFingerprint.Of(k.Trim())).ToHashSet(StringComparer.Ordinal);
        var added = registered.Where(k => fingerprints.Add(SshKeyFingerprint.Of(k))).ToList();
        return (input with { SshKeys = [.. given, .. added] }, problems);
    }
}
