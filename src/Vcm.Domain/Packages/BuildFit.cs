namespace Vcm.Domain.Packages;

/// <summary>
/// Layer build time and size as a function of the packages installed, fitted to recorded builds: time by least
/// squares (fixed part + per package; through the origin when the fixed part would come out negative, or when every
/// build installed the same number), size per package as total size over total packages. With no builds, the defaults.
/// </summary>
public sealed record BuildFit(double BaseSeconds, double SecondsPerPackage, double BytesPerPackage, int Samples)
{
    private const double Mib = 1024 * 1024;

    public static BuildFit Of(IReadOnlyList<BuildSample> builds, CostDefaults defaults)
    {
        var usable = builds.Where(b => b.Packages > 0 && b.Seconds > 0).ToList(); // no real build takes no time
        if (usable.Count == 0)
        {
            return new BuildFit(defaults.BuildBaseSeconds, defaults.BuildSecondsPerPackage, defaults.LayerMibPerPackage * Mib, 0);
        }

        var bytesPerPackage = usable.Sum(b => (double)b.Bytes) / usable.Sum(b => (double)b.Packages);
        var (fixedPart, perPackage) = LineFit.Of(usable.Select(b => (b.Packages, b.Seconds)).ToList());
        return new BuildFit(fixedPart, perPackage, bytesPerPackage, usable.Count);
    }

    public double Seconds(int packages) => BaseSeconds + (SecondsPerPackage * packages);

    public long Bytes(int packages) => (long)(BytesPerPackage * packages);

    public override string ToString() => Samples == 0
        ? $"{BaseSeconds:0} s + {SecondsPerPackage:0.00} s/package (defaults: no build measured yet)"
        : $"{BaseSeconds:0} s + {SecondsPerPackage:0.00} s/package from {Samples} builds";
}
