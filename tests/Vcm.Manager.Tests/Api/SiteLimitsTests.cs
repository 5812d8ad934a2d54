using System.Globalization;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Manager.Configuration;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Api;

/// <summary>
/// The provider's limits on reservations (issue 11, item 5): the longest lease and how far ahead one may reserve are
/// enforced at admission with every other problem of the request; bad limits are refused; none lifts them.
/// </summary>
public sealed class SiteLimitsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2031, 5, 1, 8, 0, 0, TimeSpan.Zero);
    private TestSite _site = null!;

    public async Task InitializeAsync() =>
        _site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 2, clock: new ManualClock(Now), controllers: new ControllerOptions { Enabled = false });

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task LeasesLongerOrFurtherAheadThanTheLimits_AreRefusedWithEveryProblem_NothingReserved()
    {
        Assert.Equal(new SiteLimitsView(null, null, 100), await _site.Client.GetSiteLimitsAsync(CancellationToken.None));
        var set = await _site.Client.SetSiteLimitsAsync(new SiteLimitsRequest("7d", "30d"), CancellationToken.None);
        Assert.Equal(new SiteLimitsView("7d", "30d", 100), set);
        var before = await DbSnapshot.TakeAsync(_site.Database);

        var both = await Assert.ThrowsAsync<VcmApiException>(() => _site.Client.CreateClusterAsync(
            new ClusterSpecInput { Name = "long", Workers = 1, Start = Iso(Now.AddDays(40)), Duration = "8d", Cpus = 999 }, CancellationToken.None));
        var end = await Assert.ThrowsAsync<VcmApiException>(() => _site.Client.CreateClusterAsync(
            new ClusterSpecInput { Name = "long", Workers = 1, End = Iso(Now.AddDays(9)) }, CancellationToken.None));

        Assert.Equal(400, both.Status);
        Assert.Equal(["cpus", "duration", "start"], both.Problem.Errors!.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Contains("this site's longest lease is 7d", both.Problem.Errors!.Single(e => e.Field == "duration").Message, StringComparison.Ordinal);
        Assert.Equal(["end"], end.Problem.Errors!.Select(e => e.Field));
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));

        // within the limits, admitted; lifted, a longer one too
        await _site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "fits", Workers = 1, Start = Iso(Now.AddDays(29)), Duration = "7d" }, CancellationToken.None);
        Assert.Equal(new SiteLimitsView(null, "30d", 100), await _site.Client.SetSiteLimitsAsync(new SiteLimitsRequest("none", null), CancellationToken.None));
        await _site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "long", Workers = 1, Duration = "8d" }, CancellationToken.None);
    }

    [Fact]
    public async Task BadLimits_AreRefusedWithEachField_NothingChanged()
    {
        var refused = await Assert.ThrowsAsync<VcmApiException>(() =>
            _site.Client.SetSiteLimitsAsync(new SiteLimitsRequest("forever", "0s", 0), CancellationToken.None));

        Assert.Equal(400, refused.Status);
        Assert.Equal(["maxAdvance", "maxLease", "maxOccurrences"], refused.Problem.Errors!.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Equal(new SiteLimitsView(null, null, 100), await _site.Client.GetSiteLimitsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task MaxOccurrences_IsSetAndShown_OtherLimitsStay()
    {
        await _site.Client.SetSiteLimitsAsync(new SiteLimitsRequest("7d", null), CancellationToken.None);

        var set = await _site.Client.SetSiteLimitsAsync(new SiteLimitsRequest(null, null, 12), CancellationToken.None);

        Assert.Equal(new SiteLimitsView("7d", null, 12), set);
        Assert.Equal(set, await _site.Client.GetSiteLimitsAsync(CancellationToken.None));
    }

    private static string Iso(DateTimeOffset time) => time.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
