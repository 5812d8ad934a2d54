namespace Vcm.Bench;

/// <summary>The median and the 95th percentile (nearest rank) of a bench's samples.</summary>
internal static class Quantiles
{
    public static double Median(IReadOnlyCollection<double> values) => Rank(values, 0.5);

    public static double P95(IReadOnlyCollection<double> values) => Rank(values, 0.95);

    private static double Rank(IReadOnlyCollection<double> values, double quantile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(sorted.Count * quantile) - 1, 0, sorted.Count - 1)];
    }
}
