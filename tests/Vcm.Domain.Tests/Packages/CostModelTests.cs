using Vcm.Domain.Packages;
using Xunit;

namespace Vcm.Domain.Tests.Packages;

/// <summary>The cost model's choice on synthetic histories: each way wins where it should, and history moves the choice.</summary>
public sealed class CostModelTests
{
    private const long Mib = 1024 * 1024;
    private static readonly CostDefaults Defaults = new();
    private static readonly string[] Hosts = ["h1", "h2"];

    private static CostRequest Request(int installs, params string[] requested) =>
        new("debian-12", requested, installs, "debian-12.pk-exact", Hosts);

    private static CostHistory Builds(params (int Packages, double Seconds)[] builds) =>
        new(builds.Select(b => new BuildSample(b.Packages, b.Packages * 2 * Mib, b.Seconds)).ToList(), []);

    [Fact]
    public void Estimate_ExactLayerBuilt_LayerExact()
    {
        var estimate = CostModel.Estimate(Request(50, "gcc") with { ExactBytes = 100 * Mib }, CostHistory.Empty, Defaults);

        Assert.Equal(ReadyWay.LayerExact, estimate.Way);
        Assert.Equal("debian-12.pk-exact", estimate.Chosen.Boots);
        Assert.Equal(2 + 10, estimate.Seconds, 3); // 100 MiB at 50 MiB/s + boot
        Assert.DoesNotContain(estimate.Considered, w => w.Way == ReadyWay.BuildLayer);
    }

    [Fact]
    public void Estimate_NoHistory_ManyPackages_BuildLayerByTheDefaults()
    {
        var estimate = CostModel.Estimate(Request(50, "openmpi-bin"), CostHistory.Empty, Defaults);

        Assert.Equal(ReadyWay.BuildLayer, estimate.Way);
        Assert.Equal(20 + (0.35 * 50), estimate.Chosen.BuildSeconds, 3);
        Assert.Equal(20 + (0.35 * 50) + (50 * 2.7 / 50) + 10, estimate.Seconds, 3);
        Assert.Equal([ReadyWay.BuildLayer, ReadyWay.BaseInstall], estimate.Considered.Select(w => w.Way));
        Assert.Contains("next best BaseInstall", estimate.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_HistoryOfSlowBuilds_FlipsTheChoiceToInstallingAtBoot()
    {
        var request = Request(30, "gcc");
        var fast = Builds((10, 14), (40, 26), (100, 50)); // 10 s + 0.4 s/package
        var slow = Builds((10, 60), (40, 240), (100, 600)); // 6 s/package

        var before = CostModel.Estimate(request, fast, Defaults);
        var after = CostModel.Estimate(request, slow, Defaults);

        Assert.Equal(ReadyWay.BuildLayer, before.Way);
        Assert.Equal(10 + (0.4 * 30), before.Chosen.BuildSeconds, 6);
        Assert.Equal(ReadyWay.BaseInstall, after.Way);
        Assert.Equal(6 * 30, after.Considered.Single(w => w.Way == ReadyWay.BuildLayer).BuildSeconds, 6);
    }

    [Fact]
    public void Estimate_CacheImageHoldsEverything_CacheImage_UntilAHostIsSoSlowThatFetchingNothingWins()
    {
        var request = Request(40, "gcc", "make") with { Cache = new CachedImage("debian-12.pk-cache", ["gcc", "make", "htop"], 60, 200 * Mib) };

        var fastLinks = CostModel.Estimate(request, CostHistory.Empty, Defaults);
        var slowLinks = CostModel.Estimate(request, new CostHistory([], [new FetchSample("h2", 10 * Mib, 10)]), Defaults); // h2: 1 MiB/s

        Assert.Equal(ReadyWay.CacheImage, fastLinks.Way);
        Assert.Equal("debian-12.pk-cache", fastLinks.Chosen.Boots);
        Assert.Equal(4 + 10, fastLinks.Seconds, 3);
        Assert.Equal(ReadyWay.BaseInstall, slowLinks.Way); // at 1 MiB/s: 200 s for the cache image, 108 s for a new layer, 96 s installing at boot
        Assert.Equal([ReadyWay.BaseInstall, ReadyWay.BuildLayer, ReadyWay.CacheImage], slowLinks.Considered.Select(w => w.Way));
        Assert.Contains("(measured)", slowLinks.Considered[2].Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_CacheImageHoldsPartOfTheSet_PlusInstallWhenTheRestIsSmallAndBuildsAreSlow()
    {
        var request = Request(60, "openmpi-bin", "gcc", "htop") with { Cache = new CachedImage("debian-12.pk-cache", ["gcc", "openmpi-bin"], 58, 150 * Mib) };
        var slow = Builds((10, 60), (100, 600));

        var estimate = CostModel.Estimate(request, slow, Defaults);

        Assert.Equal(ReadyWay.CacheImagePlusInstall, estimate.Way);
        Assert.Equal(3 + 10 + (2 * 2.4), estimate.Seconds, 3); // fetch 150 MiB, boot, install the 2 packages the cache image lacks
        Assert.Contains("holds 2 of the 3 packages", estimate.Chosen.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_CacheImageNeitherHoldsAllNorIsPartOfTheSet_NotConsidered()
    {
        var request = Request(20, "gcc", "make") with { Cache = new CachedImage("debian-12.pk-cache", ["gcc", "htop"], 20, 50 * Mib) };

        var estimate = CostModel.Estimate(request, CostHistory.Empty, Defaults);

        Assert.DoesNotContain(estimate.Considered, w => w.Way is ReadyWay.CacheImage or ReadyWay.CacheImagePlusInstall);
    }

    [Fact]
    public void Estimate_SameRequestAndHistory_SameAnswer()
    {
        var request = Request(25, "gcc") with { Cache = new CachedImage("debian-12.pk-cache", ["gcc", "make"], 30, 80 * Mib) };
        var history = new CostHistory([new BuildSample(10, 20 * Mib, 30)], [new FetchSample("h1", 100 * Mib, 4)]);

        Assert.Equal(CostModel.Estimate(request, history, Defaults).Considered, CostModel.Estimate(request, history, Defaults).Considered);
    }

    [Fact]
    public void BuildFit_LinearHistory_RecoversFixedPartAndSlope()
    {
        var fit = BuildFit.Of([new(10, 4 * Mib, 30), new(20, 6 * Mib, 50), new(40, 10 * Mib, 90)], Defaults);

        Assert.Equal(10, fit.BaseSeconds, 6);
        Assert.Equal(2, fit.SecondsPerPackage, 6);
        Assert.Equal(20.0 * Mib / 70, fit.BytesPerPackage, 3);
        Assert.Equal(3, fit.Samples);
    }

    [Fact]
    public void BuildFit_OneSizeOnlyOrNegativeFixedPart_ThroughTheOrigin()
    {
        Assert.Equal(3, BuildFit.Of([new(10, Mib, 20), new(10, Mib, 40)], Defaults).SecondsPerPackage, 6);
        var steep = BuildFit.Of([new(10, Mib, 1), new(20, Mib, 100)], Defaults); // a line through them crosses below zero
        Assert.Equal(0, steep.BaseSeconds);
        Assert.True(steep.SecondsPerPackage > 0);
    }

    [Fact]
    public void TransferRates_SlowestHostDecides_UnmeasuredHostsTakeTheDefault()
    {
        var rates = new TransferRates([new FetchSample("h1", 200 * Mib, 2), new FetchSample("h1", 100 * Mib, 1), new FetchSample("h2", 30 * Mib, 1)], Defaults);

        Assert.Equal(100.0 * Mib, rates.Of("h1"), 3);
        Assert.Equal(50.0 * Mib, rates.Of("h3"), 3);
        Assert.Equal(10, rates.To(["h1", "h2", "h3"], 300 * Mib).Seconds, 3); // h2 at 30 MiB/s
        Assert.Equal(0, rates.To(["h1"], 0).Seconds);
    }
}
