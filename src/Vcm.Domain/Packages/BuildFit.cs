namespace Vcm.Domain.Packages;

/// <summary>
/// Layer build time and size as a function of what is installed, fitted to recorded builds. Time by least squares on
/// the number of packages (fixed part + per package; through the origin when the fixed part would come out negative,
/// or when every build installed the same number), and — when at least <see cref="MinSizedSamples"/> builds know what
/// their packages unpack to — also on that size (fixed part + per package + per MiB unpacked, used for a request that
/// knows its size too, and only when no part comes out negative — on this machine's builds it has not yet been better
/// than the count alone: docs/benchmarks.md, "cost-model").
/// Size per package as total size over total packages, or per KiB unpacked. With no builds, the defaults.
/// </summary>
public sealed record BuildFit(double BaseSeconds, double SecondsPerPackage, double BytesPerPackage, int Samples)
{
    public const int MinSizedSamples = 4;

    private const double Mib = 1024 * 1024;

    /// <summary>The fit on packages and unpacked size; null when too few builds know their size or it came out negative.</summary>
    public SizedFit? Sized { get; init; }

    public static BuildFit Of(IReadOnlyList<BuildSample> builds, CostDefaults defaults)
    {
        var usable = builds.Where(b => b.Packages > 0 && b.Seconds > 0).ToList(); // no real build takes no time
        if (usable.Count == 0)
        {
            return new BuildFit(defaults.BuildBaseSeconds, defaults.BuildSecondsPerPackage, defaults.LayerMibPerPackage * Mib, 0);
        }

        var sized = SizedFit.Of(usable.Where(b => b.InstalledKib > 0).ToList());
        var bytesPerPackage = usable.Sum(b => (double)b.Bytes) / usable.Sum(b => (double)b.Packages);
        var (fixedPart, perPackage) = LineFit.Of(usable.Select(b => (b.Packages, b.Seconds)).ToList());
        return new BuildFit(fixedPart, perPackage, bytesPerPackage, usable.Count) { Sized = sized };
    }

    /// <summary>The build time of a layer installing <paramref name="packages"/> that unpack to <paramref name="installedKib"/> (0: unknown).</summary>
    public double Seconds(int packages, long installedKib = 0) =>
        Sized is { } sized && installedKib > 0
            ? sized.BaseSeconds + (sized.SecondsPerPackage * packages) + (sized.SecondsPerMib * installedKib / 1024.0)
            : BaseSeconds + (SecondsPerPackage * packages);

    public long Bytes(int packages, long installedKib = 0) =>
        Sized is { } sized && installedKib > 0 ? (long)(sized.BytesPerInstalledKib * installedKib) : (long)(BytesPerPackage * packages);

    public override string ToString() => Samples == 0
        ? $"{BaseSeconds:0} s + {SecondsPerPackage:0.00} s/package (defaults: no build measured yet)"
        : Sized is { } sized
            ? $"{sized.BaseSeconds:0.0} s + {sized.SecondsPerPackage:0.000} s/package + {sized.SecondsPerMib:0.000} s/MiB unpacked from {sized.Samples} builds"
            : $"{BaseSeconds:0} s + {SecondsPerPackage:0.00} s/package from {Samples} builds";
}

/// <summary>Build time on packages and unpacked size (least squares, every coefficient at least 0), and layer bytes per KiB unpacked.</summary>
public sealed record SizedFit(double BaseSeconds, double SecondsPerPackage, double SecondsPerMib, double BytesPerInstalledKib, int Samples)
{
    public static SizedFit? Of(IReadOnlyList<BuildSample> builds)
    {
        if (builds.Count < BuildFit.MinSizedSamples)
        {
            return null;
        }

        // normal equations of y = a + b·packages + c·MiB
        var rows = builds.Select(b => (X: new[] { 1.0, b.Packages, b.InstalledKib / 1024.0 }, Y: b.Seconds)).ToList();
        var m = new double[3, 4];
        foreach (var (x, y) in rows)
        {
            for (var i = 0; i < 3; i++)
            {
                for (var j = 0; j < 3; j++)
                {
                    m[i, j] += x[i] * x[j];
                }

                m[i, 3] += x[i] * y;
            }
        }

        if (Solve(m) is not { } beta || beta.Any(c => c < 0 || double.IsNaN(c)))
        {
            return null;
        }

        var bytesPerKib = builds.Sum(b => (double)b.Bytes) / builds.Sum(b => (double)b.InstalledKib);
        return new SizedFit(beta[0], beta[1], beta[2], bytesPerKib, builds.Count);
    }

    /// <summary>Gauss-Jordan elimination with partial pivoting of a 3×4 augmented matrix; null when singular.</summary>
    private static double[]? Solve(double[,] m)
    {
        for (var col = 0; col < 3; col++)
        {
            var pivot = Enumerable.Range(col, 3 - col).MaxBy(r => Math.Abs(m[r, col]));
            if (Math.Abs(m[pivot, col]) < 1e-9)
            {
                return null;
            }

            for (var j = 0; j < 4; j++)
            {
                (m[col, j], m[pivot, j]) = (m[pivot, j], m[col, j]);
            }

            var p = m[col, col];
            for (var j = 0; j < 4; j++)
            {
                m[col, j] /= p;
            }

            for (var r = 0; r < 3; r++)
            {
                if (r != col)
                {
                    var f = m[r, col];
                    for (var j = 0; j < 4; j++)
                    {
                        m[r, j] -= f * m[col, j];
                    }
                }
            }
        }

        return [m[0, 3], m[1, 3], m[2, 3]];
    }
}
