namespace Vcm.Domain.Packages;

/// <summary>
/// Seconds as a fixed part plus a part per package, fitted by least squares to (packages, seconds) samples; through
/// the origin when the fixed part would come out negative, or when every sample has the same number of packages.
/// </summary>
public static class LineFit
{
    public static (double Fixed, double PerPackage) Of(IReadOnlyList<(int Packages, double Seconds)> samples)
    {
        var meanX = samples.Average(s => (double)s.Packages);
        var meanY = samples.Average(s => s.Seconds);
        var sxx = samples.Sum(s => (s.Packages - meanX) * (s.Packages - meanX));
        var sxy = samples.Sum(s => (s.Packages - meanX) * (s.Seconds - meanY));
        if (sxx > 0 && sxy / sxx > 0 && meanY - (sxy / sxx * meanX) >= 0)
        {
            var slope = sxy / sxx;
            return (meanY - (slope * meanX), slope);
        }

        return (0, samples.Sum(s => s.Packages * s.Seconds) / samples.Sum(s => (double)s.Packages * s.Packages));
    }
}
