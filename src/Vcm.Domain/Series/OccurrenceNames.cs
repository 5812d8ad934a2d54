using System.Globalization;

namespace Vcm.Domain.Series;

/// <summary>
/// How an occurrence's cluster is named: NAME-YYYYMMDD by the local date of its start; when the rule yields two starts on
/// one local date, every occurrence of the series is named NAME-YYYYMMDD-HHMM instead, so names stay unique and alike.
/// </summary>
public static class OccurrenceNames
{
    /// <summary>The longest suffix a name gets (-YYYYMMDD-HHMM): a series' name leaves room for it.</summary>
    public const int LongestSuffix = 14;

    public static IReadOnlyList<string> For(string series, IReadOnlyList<DateTime> localStarts)
    {
        var withTime = localStarts.Select(s => s.Date).Distinct().Count() < localStarts.Count;
        var format = withTime ? "yyyyMMdd-HHmm" : "yyyyMMdd";
        return localStarts.Select(s => $"{series}-{s.ToString(format, CultureInfo.InvariantCulture)}").ToList();
    }

    /// <summary>Whether <paramref name="cluster"/> is the occurrence of <paramref name="series"/> on <paramref name="date"/> (YYYY-MM-DD or YYYYMMDD, with -HHMM where names carry it).</summary>
    public static bool Matches(string series, string cluster, string date)
    {
        var compact = date.Replace("-", "", StringComparison.Ordinal);
        var suffix = cluster.Length > series.Length + 1 && cluster.StartsWith(series + "-", StringComparison.Ordinal)
            ? cluster[(series.Length + 1)..].Replace("-", "", StringComparison.Ordinal)
            : null;
        return suffix is not null && compact.Length >= 8 && (suffix == compact || (compact.Length == 8 && suffix.StartsWith(compact, StringComparison.Ordinal)));
    }
}
