using Vcm.Domain.Packages;
using Xunit;

namespace Vcm.Domain.Tests.Packages;

/// <summary>Build time fitted on the number of packages and what they unpack to, when builds know the latter.</summary>
public sealed class SizedFitTests
{
    private const long Mib = 1024 * 1024;
    private static readonly CostDefaults Defaults = new();

    /// <summary>Builds whose time is exactly 3 s + 0.05 s a package + 0.02 s a MiB unpacked.</summary>
    private static List<BuildSample> Exact(params (int Packages, int Mib)[] builds) =>
        builds.Select(b => new BuildSample(b.Packages, b.Mib * 2 * Mib, 3 + (0.05 * b.Packages) + (0.02 * b.Mib), b.Mib * 1024L)).ToList();

    [Fact]
    public void EnoughSizedBuilds_TheFitRecoversTimeAndSize_AndPredictsByBoth()
    {
        var fit = BuildFit.Of(Exact((10, 50), (30, 300), (60, 120), (90, 600), (20, 20)), Defaults);

        var sized = Assert.IsType<SizedFit>(fit.Sized);
        Assert.Equal(3, sized.BaseSeconds, 6);
        Assert.Equal(0.05, sized.SecondsPerPackage, 6);
        Assert.Equal(0.02, sized.SecondsPerMib, 6);
        Assert.Equal(3 + 2 + 8, fit.Seconds(40, 400 * 1024), 6);
        Assert.Equal(2 * 400 * Mib, fit.Bytes(40, 400 * 1024));
    }

    [Fact]
    public void ARequestOfUnknownSize_OrTooFewSizedBuilds_UseTheCountAlone()
    {
        var fit = BuildFit.Of(Exact((10, 50), (30, 300), (60, 120), (90, 600), (20, 20)), Defaults);
        var few = BuildFit.Of(Exact((10, 50), (30, 300), (60, 120)), Defaults);

        Assert.Equal(fit.BaseSeconds + (fit.SecondsPerPackage * 40), fit.Seconds(40), 6);
        Assert.Null(few.Sized);
        Assert.Equal(few.Seconds(40), few.Seconds(40, 400 * 1024), 6);
    }

    [Fact]
    public void AFitWithANegativePart_IsNotUsed()
    {
        // more packages, less time: a negative per-package part means nothing physical
        var builds = new List<BuildSample>
        {
            new(10, Mib, 20, 1024), new(20, Mib, 15, 1024), new(30, Mib, 10, 1024), new(40, Mib, 5, 1024),
        };

        Assert.Null(BuildFit.Of(builds, Defaults).Sized);
    }
}
