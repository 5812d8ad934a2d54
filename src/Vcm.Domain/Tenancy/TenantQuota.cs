using System.Globalization;
using Vcm.Domain.Common;
using Vcm.Domain.Sizes;

namespace Vcm.Domain.Tenancy;

/// <summary>
/// What a tenant may hold at any moment of the calendar (nodes, vCPUs, memory, shared-volume size) and per calendar
/// month (node-hours); null means no limit.
/// </summary>
public sealed record TenantQuota
{
    public static readonly TenantQuota None = new();

    public long? Nodes { get; init; }

    public long? Vcpus { get; init; }

    public long? MemoryMb { get; init; }

    public long? SharedMb { get; init; }

    public long? NodeHours { get; init; }

    /// <summary>The text form, as `--quota` takes it: nodes=64,vcpus=256,memory=512G,shared=1T,node-hours=10000.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Nodes is { } n) parts.Add($"nodes={n}");
        if (Vcpus is { } v) parts.Add($"vcpus={v}");
        if (MemoryMb is { } m) parts.Add($"memory={ByteSize.FromMebibytes(m)}");
        if (SharedMb is { } s) parts.Add($"shared={ByteSize.FromMebibytes(s)}");
        if (NodeHours is { } h) parts.Add($"node-hours={h}");
        return parts.Count == 0 ? "none" : string.Join(',', parts);
    }

    /// <summary>
    /// Reads "key=value,…" over <paramref name="start"/> (keys not named keep their value; "none" as a value lifts a
    /// limit); every problem is listed, under <paramref name="field"/>.
    /// </summary>
    public static TenantQuota Parse(string? text, TenantQuota start, string field, List<Problem> problems)
    {
        var quota = start;
        if (string.IsNullOrWhiteSpace(text))
        {
            return quota;
        }

        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? item : item[..eq];
            var value = eq < 0 ? "" : item[(eq + 1)..];
            if (eq < 0 || value.Length == 0)
            {
                problems.Add(new Problem(field, $"'{item}' is not key=value"));
                continue;
            }

            var none = value == "none";
            switch (key)
            {
                case "nodes":
                    quota = quota with { Nodes = none ? null : Count(value, key, field, problems) };
                    break;
                case "vcpus":
                    quota = quota with { Vcpus = none ? null : Count(value, key, field, problems) };
                    break;
                case "node-hours":
                    quota = quota with { NodeHours = none ? null : Count(value, key, field, problems) };
                    break;
                case "memory":
                    quota = quota with { MemoryMb = none ? null : Size(value, key, field, problems) };
                    break;
                case "shared":
                    quota = quota with { SharedMb = none ? null : Size(value, key, field, problems) };
                    break;
                default:
                    problems.Add(new Problem(field, $"'{key}' is not a quota (nodes, vcpus, memory, shared, node-hours)"));
                    break;
            }
        }

        return quota;
    }

    private static long? Count(string value, string key, string field, List<Problem> problems)
    {
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 1_000_000_000)
        {
            return n;
        }

        problems.Add(new Problem(field, $"{key} must be a whole number from 0 to 1000000000 or none, not '{value}'"));
        return null;
    }

    private static long? Size(string value, string key, string field, List<Problem> problems)
    {
        if (ByteSize.TryParse(value, out var size, out var error))
        {
            return size.Mebibytes;
        }

        problems.Add(new Problem(field, $"{key} {error}"));
        return null;
    }
}
