namespace Vcm.Domain.Tenancy;

/// <summary>
/// What a tenant may still reserve through the whole of a span of time: each limited resource's quota less the most
/// its reservations hold at any moment of the span, and the node-hours left in the tightest calendar month (UTC) the
/// span touches. Null where the quota sets no limit.
/// </summary>
public sealed record QuotaHeadroom(long? Nodes, long? Vcpus, long? MemoryMb, long? SharedMb, long? NodeHours)
{
    public static QuotaHeadroom Within(TenantQuota quota, IReadOnlyList<Reservation> held, DateTimeOffset from, DateTimeOffset to)
    {
        var peak = QuotaCheck.PeakWithin(held, from, to);
        long? nodeHours = null;
        if (quota.NodeHours is { } limit)
        {
            var used = QuotaCheck.Months(from, to).Max(m => held.Sum(r => r.NodeHoursIn(m.From, m.To)));
            nodeHours = Math.Max(0, limit - (long)Math.Ceiling(used - 1e-9));
        }

        return new QuotaHeadroom(
            Left(quota.Nodes, peak.Nodes), Left(quota.Vcpus, peak.Vcpus), Left(quota.MemoryMb, peak.MemoryMb), Left(quota.SharedMb, peak.SharedMb), nodeHours);
    }

    /// <summary>How many more nodes of <paramref name="cpus"/> vCPUs and <paramref name="memoryMb"/> of memory the quota allows at once; null when nothing limits them.</summary>
    public long? NodesOf(long cpus, long memoryMb)
    {
        long? count = Nodes;
        if (Vcpus is { } v && cpus > 0)
        {
            count = Math.Min(count ?? long.MaxValue, v / cpus);
        }

        if (MemoryMb is { } m && memoryMb > 0)
        {
            count = Math.Min(count ?? long.MaxValue, m / memoryMb);
        }

        return count;
    }

    private static long? Left(long? limit, long held) => limit is { } max ? Math.Max(0, max - held) : null;
}
