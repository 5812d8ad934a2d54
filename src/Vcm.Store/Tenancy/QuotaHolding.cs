using Vcm.Domain.Clusters;
using Vcm.Store.Records;

namespace Vcm.Store.Tenancy;

/// <summary>
/// What a tenant's quota needs of one of its clusters: its window, when its phase last changed, whether it is live,
/// and its spec — read without the rest of the row, so counting a quota decrypts no secret and reads no status.
/// </summary>
public sealed record QuotaHolding(long StartMs, long EndMs, long PhaseSinceMs, bool Live, ClusterSpec Spec)
{
    /// <summary>A tenant's clusters that can count against its quota from <paramref name="sinceMs"/> on (live ones, and final ones whose window reaches past it).</summary>
    public static IQueryable<QuotaHolding> Of(IQueryable<ClusterRecord> clusters, string tenantId, long sinceMs) =>
        clusters.Where(c => c.TenantId == tenantId && (c.ActiveName != null || c.EndMs > sinceMs))
            .Select(c => new QuotaHolding(c.StartMs, c.EndMs, c.PhaseSinceMs, c.ActiveName != null, c.Spec));
}
