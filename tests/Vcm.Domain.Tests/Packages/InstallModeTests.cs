using Vcm.Domain.Clusters;
using Vcm.Domain.Packages;
using Xunit;

namespace Vcm.Domain.Tests.Packages;

/// <summary>--install narrows the cost model's ways; the nodes' measured installs replace the default per package.</summary>
public sealed class InstallModeTests
{
    private const long Mib = 1024 * 1024;
    private static readonly CostDefaults Defaults = new();

    private static CostRequest Request(int installs, InstallMode mode) =>
        new("debian-12", ["hello", "jq"], installs, "debian-12.pk-exact", ["h1"]) { Install = mode };

    [Fact]
    public void Estimate_Boot_OnlyInstallWays_BaseInstallWithNoCacheImage()
    {
        var estimate = CostModel.Estimate(Request(3, InstallMode.Boot), CostHistory.Empty, Defaults);

        Assert.Equal(ReadyWay.BaseInstall, estimate.Way);
        Assert.Equal("debian-12", estimate.Chosen.Boots);
        Assert.All(estimate.Considered, w => Assert.True(w.Way.InstallsAtBoot()));
    }

    [Fact]
    public void Estimate_Boot_CacheImageHoldsPart_CacheImagePlusInstall()
    {
        var request = Request(40, InstallMode.Boot) with { Cache = new CachedImage("debian-12.pk-cache", ["hello"], 30, 10 * Mib) };

        var estimate = CostModel.Estimate(request, CostHistory.Empty, Defaults);

        Assert.Equal(ReadyWay.CacheImagePlusInstall, estimate.Way);
        Assert.Equal("debian-12.pk-cache", estimate.Chosen.Boots);
    }

    [Fact]
    public void Estimate_Layer_NeverInstallsAtBoot_EvenWhenCheaper()
    {
        var estimate = CostModel.Estimate(Request(1, InstallMode.Layer), CostHistory.Empty, Defaults);

        Assert.Equal(ReadyWay.BuildLayer, estimate.Way);
        Assert.DoesNotContain(estimate.Considered, w => w.Way.InstallsAtBoot());
        Assert.Equal(ReadyWay.BaseInstall, CostModel.Estimate(Request(1, InstallMode.Auto), CostHistory.Empty, Defaults).Way);
    }

    [Fact]
    public void Estimate_MeasuredInstalls_ReplaceTheDefault()
    {
        // nodes measured 20 s + 1 s a package: 3 packages take 23 s, not 3 × 2.4 s
        var history = CostHistory.Empty with { Installs = [new InstallSample(2, 22), new InstallSample(10, 30), new InstallSample(6, 26)] };

        var estimate = CostModel.Estimate(Request(3, InstallMode.Boot), history, Defaults);

        Assert.Equal(10 + 23, estimate.Seconds, 3);
        Assert.Contains("from 3 nodes' installs", estimate.Chosen.Why, StringComparison.Ordinal);
        Assert.Equal(0, InstallFit.Of([], Defaults).Seconds(0));
    }
}
