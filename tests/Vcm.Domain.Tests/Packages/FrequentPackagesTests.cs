using FsCheck;
using FsCheck.Fluent;
using Vcm.Domain.Packages;
using Xunit;

namespace Vcm.Domain.Tests.Packages;

/// <summary>Cache-image sets from synthetic request histories: which packages are frequent enough, and only those.</summary>
public sealed class FrequentPackagesTests
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly CacheImagePolicy TenAtThirty = new(30, 10);

    /// <summary>One request a minute, in order.</summary>
    private static List<PackageRequest> History(params string[][] sets) =>
        sets.Select((set, i) => new PackageRequest("debian-12", set, T0.AddMinutes(i))).ToList();

    [Theory]
    [InlineData(30, 50, 15)]
    [InlineData(30, 10, 3)]
    [InlineData(1, 10, 1)]
    [InlineData(100, 7, 7)]
    [InlineData(33, 10, 4)]
    public void Threshold_IsTheCeilingOfMPercentOfN(int percent, int window, int expected) =>
        Assert.Equal(expected, new CacheImagePolicy(percent, window).Threshold);

    [Fact]
    public void Of_PackagesInAtLeastMPercentOfTheLastN_Sorted()
    {
        var history = History(
            ["gcc", "make"], ["gcc"], ["gcc", "htop"], ["make"], ["vim"], ["htop"], ["make"], [], ["slurm-wlm"], ["openmpi-bin"]);

        var set = FrequentPackages.Of(history, "debian-12", TenAtThirty);

        Assert.Equal(["gcc", "make"], set); // 3 of 10 each; htop has 2
    }

    [Fact]
    public void Of_OnlyTheLastNCount_OlderRequestsDoNot()
    {
        var old = Enumerable.Repeat(new[] { "emacs" }, 20).ToArray();
        var recent = Enumerable.Repeat(new[] { "gcc" }, 10).ToArray();

        var set = FrequentPackages.Of(History([.. old, .. recent]), "debian-12", TenAtThirty);

        Assert.Equal(["gcc"], set);
    }

    [Fact]
    public void Of_FewerRequestsThanN_StillNeedsTheThresholdCount()
    {
        Assert.Empty(FrequentPackages.Of(History(["gcc"], ["gcc"]), "debian-12", TenAtThirty)); // 2 < 3
        Assert.Equal(["gcc"], FrequentPackages.Of(History(["gcc"], ["gcc"], ["gcc"]), "debian-12", TenAtThirty));
    }

    [Fact]
    public void Of_OtherImagesAndRepeatsInOneRequest_DoNotCount()
    {
        var history = new List<PackageRequest>
        {
            new("debian-12", ["gcc", "gcc", "gcc"], T0),
            new("debian-13", ["gcc"], T0.AddMinutes(1)),
            new("debian-13", ["gcc"], T0.AddMinutes(2)),
            new("debian-12", ["gcc"], T0.AddMinutes(3)),
        };

        Assert.Empty(FrequentPackages.Of(history, "debian-12", TenAtThirty)); // gcc in 2 debian-12 requests
        Assert.Empty(FrequentPackages.Of(history, "micro", TenAtThirty));
    }

    [Fact]
    public void Of_RequestsAtOneInstant_TheLaterInTheHistoryIsNewer()
    {
        var policy = new CacheImagePolicy(100, 1);
        var history = new List<PackageRequest> { new("debian-12", ["vim"], T0), new("debian-12", ["gcc"], T0), new("debian-12", ["htop"], T0.AddMinutes(-1)) };

        Assert.Equal(["gcc"], FrequentPackages.Of(history, "debian-12", policy));
    }

    private static readonly Gen<PackageRequest[]> Histories =
        from count in Gen.Choose(0, 80)
        from requests in Gen.ArrayOf(
            from minute in Gen.Choose(0, 10_000)
            from image in Gen.Elements("debian-12", "debian-13")
            from packages in Gen.SubListOf("gcc", "make", "htop", "vim", "openmpi-bin", "slurm-wlm", "munge")
            select new PackageRequest(image, packages.ToArray(), T0.AddMinutes(minute)), count)
        select requests;

    [Fact]
    public void Of_AnyHistory_HoldsExactlyThePackagesReachingTheThresholdInTheWindow_WhateverTheOrderOfDistinctTimes()
    {
        var policies = Gen.Choose(1, 100).SelectMany(m => Gen.Choose(1, 60).Select(n => new CacheImagePolicy(m, n)));
        var property = Prop.ForAll(Arb.From(Histories), Arb.From(policies), (history, policy) =>
        {
            var distinct = history.GroupBy(r => r.At).Select(g => g.First()).ToList();
            var set = FrequentPackages.Of(distinct, "debian-12", policy);

            var window = distinct.Where(r => r.Image == "debian-12").OrderByDescending(r => r.At).Take(policy.Window).ToList();
            var expected = window.SelectMany(r => r.Packages.Distinct()).GroupBy(p => p)
                .Where(g => g.Count() >= policy.Threshold).Select(g => g.Key).Order(StringComparer.Ordinal).ToList();
            var shuffled = FrequentPackages.Of(distinct.AsEnumerable().Reverse().ToList(), "debian-12", policy);
            return set.SequenceEqual(expected) && shuffled.SequenceEqual(set) && set.SequenceEqual(set.Order(StringComparer.Ordinal));
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }
}
