namespace Vcm.Domain.Packages;

/// <summary>
/// How fast each host fetches from the site's image store: its recorded bytes over its recorded seconds, or the
/// default for a host with none. Hosts fetch in parallel, so a transfer takes as long as on the slowest host.
/// </summary>
public sealed class TransferRates(IReadOnlyList<FetchSample> fetches, CostDefaults defaults)
{
    private const double Mib = 1024 * 1024;

    private readonly Dictionary<string, double> _measured = fetches
        .Where(f => f.Bytes > 0 && f.Seconds > 0)
        .GroupBy(f => f.HostId, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Sum(f => (double)f.Bytes) / g.Sum(f => f.Seconds), StringComparer.Ordinal);

    /// <summary>Bytes a second for a host.</summary>
    public double Of(string host) => _measured.TryGetValue(host, out var rate) ? rate : defaults.TransferMibPerSecond * Mib;

    /// <summary>The time to bring <paramref name="bytes"/> to every one of <paramref name="hosts"/>, and a sentence saying so.</summary>
    public (double Seconds, string Why) To(IReadOnlyList<string> hosts, long bytes)
    {
        if (bytes <= 0)
        {
            return (0, "nothing to fetch");
        }

        var slowest = hosts.Count == 0 ? null : hosts.Distinct(StringComparer.Ordinal).OrderBy(Of).ThenBy(h => h, StringComparer.Ordinal).First();
        var rate = slowest is null ? defaults.TransferMibPerSecond * Mib : Of(slowest);
        var source = slowest is not null && _measured.ContainsKey(slowest) ? "measured" : "default";
        return (bytes / rate, $"{bytes / Mib:0} MiB at {rate / Mib:0} MiB/s ({source})");
    }
}
