using Vcm.Api;
using Vcm.Domain.Sizes;
using Vcm.Domain.Tenancy;
using Vcm.Store.Records;
using Vcm.Store.Tenancy;

namespace Vcm.Manager.Api;

/// <summary>Tenancy records as the API shows them.</summary>
public static class TenancyViews
{
    public static QuotaView Quota(TenantQuota quota) => new(
        quota.Nodes,
        quota.Vcpus,
        quota.MemoryMb is { } m ? ByteSize.FromMebibytes(m).ToString() : null,
        quota.SharedMb is { } s ? ByteSize.FromMebibytes(s).ToString() : null,
        quota.NodeHours,
        quota.ToString());

    public static TenantView Tenant(TenantRecord tenant, IReadOnlyList<Reservation> held, DateTimeOffset now, int users, int liveClusters)
    {
        var peak = QuotaCheck.PeakFrom(held, now);
        var usage = new QuotaUsageView(
            peak.Nodes, peak.Vcpus, ByteSize.FromMebibytes(peak.MemoryMb).ToString(), ByteSize.FromMebibytes(peak.SharedMb).ToString(),
            (long)Math.Ceiling(QuotaCheck.NodeHoursInMonth(held, now) - 1e-9));
        return new(tenant.Name, Quota(TenantQuotas.Read(tenant)), usage, users, liveClusters, DateTimeOffset.FromUnixTimeMilliseconds(tenant.CreatedMs));
    }

    public static UserView User(UserRecord user, string? tenant, int keys) =>
        new(user.Name, tenant, user.Role, keys, DateTimeOffset.FromUnixTimeMilliseconds(user.CreatedMs));

    public static UserKeyView Key(UserKeyRecord key) =>
        new(key.Name, key.Fingerprint, key.PublicKey, DateTimeOffset.FromUnixTimeMilliseconds(key.CreatedMs));

    public static TokenView Token(TokenRecord token, string user, string? secret = null) => new(
        token.Id,
        token.Name ?? (token.Kind == "admin" ? "admin.token" : null),
        user,
        DateTimeOffset.FromUnixTimeMilliseconds(token.CreatedMs),
        token.ExpiresMs is { } e ? DateTimeOffset.FromUnixTimeMilliseconds(e) : null,
        secret);
}
