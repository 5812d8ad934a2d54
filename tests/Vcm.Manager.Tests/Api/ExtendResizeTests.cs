using System.Net;
using System.Net.Http.Json;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Manager.Configuration;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Api;

/// <summary>
/// Extending and resizing an admitted cluster (issue 11, item 3), on the calendar with a manual clock and controllers
/// off: each is admitted as a create is — it fits, or is refused with the latest end or the largest size that fits —
/// bad input lists every problem, and a refusal changes nothing.
/// </summary>
public sealed class ExtendResizeTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T = new(2031, 6, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly ManualClock _clock = new(T);
    private TestSite _site = null!;

    public async Task InitializeAsync()
    {
        // One host of 32 cpus. "c" holds 21 of them (head + 20) from T to T+1h; "later" holds 12 from T+2h to T+3h.
        _site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 1, clock: _clock, controllers: new ControllerOptions { Enabled = false });
        await Create("c", 20, T, "1h");
        await Create("later", 11, T.AddHours(2), "1h");
    }

    public async Task DisposeAsync() => await _site.DisposeAsync();

    private Task<ClusterView> Create(string name, int workers, DateTimeOffset start, string duration) =>
        _site.Client.CreateClusterAsync(new ClusterSpecInput { Name = name, Workers = workers, Start = start.ToString("O"), Duration = duration }, CancellationToken.None);

    private async Task<List<Store.Records.ClaimRecord>> ClaimsOfAsync(string cluster)
    {
        await using var db = _site.Database.CreateContext();
        var id = db.Clusters.Single(c => c.ActiveName == cluster).Id;
        return db.Claims.Where(c => c.ClusterId == id).OrderBy(c => c.StartMs).ToList();
    }

    private Task<HttpResponseMessage> Post(string name, string verb, object body) =>
        _site.Client.Http.PostAsJsonAsync($"api/v1/clusters/{name}/{verb}", body);

    [Fact]
    public async Task Extend_IntoFreeTime_LengthensTheWindowAndClaims_AndRecordsAnEvent()
    {
        var extended = await _site.Client.ExtendClusterAsync("c", new ExtendRequest(T.AddHours(2).ToString("O"), null), CancellationToken.None);
        var again = await _site.Client.ExtendClusterAsync("c", new ExtendRequest(null, "0s"), CancellationToken.None).ContinueWith(t => t.Exception);

        Assert.Equal(T.AddHours(2), extended.End);
        Assert.Equal(T.AddHours(2), extended.Spec.End);
        Assert.NotNull(again); // "by 0s" is no extension: a 400
        Assert.All(await ClaimsOfAsync("c"), claim => Assert.Equal(T.AddHours(2).ToUnixTimeMilliseconds(), claim.EndMs));
        var events = await _site.Client.ListEventsAsync("c", CancellationToken.None);
        Assert.Contains(events, e => e.Reason == "Extended" && e.Message == $"extended from {T.AddHours(1):u} to {T.AddHours(2):u}");
    }

    [Fact]
    public async Task Extend_OverAnotherReservation_409WithTheLatestEndThatFits_NothingChanged()
    {
        var before = await DbSnapshot.TakeAsync(_site.Database);

        var response = await Post("c", "extend", new { by = "3h" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await Requests.ProblemAsync(response);
        Assert.Equal(T.AddHours(2), problem.LatestEnd);
        Assert.Contains($"can be extended to {T.AddHours(2):u} at most", problem.Detail, StringComparison.Ordinal);
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));

        // the latest end it named fits
        var extended = await _site.Client.ExtendClusterAsync("c", new ExtendRequest(problem.LatestEnd!.Value.ToString("O"), null), CancellationToken.None);
        Assert.Equal(T.AddHours(2), extended.End);
    }

    public static TheoryData<string, object, string[]> BadExtensions() => new()
    {
        { "an end before the current end", new { end = T.AddMinutes(30).ToString("O") }, ["end"] },
        { "the current end", new { end = T.AddHours(1).ToString("O") }, ["end"] },
        { "neither end nor by", new { }, ["end"] },
        { "both", new { end = T.AddHours(2).ToString("O"), by = "1h" }, ["by"] },
        { "unreadable", new { by = "soon" }, ["by"] },
        { "not a time", new { end = "tuesday" }, ["end"] },
    };

    [Theory]
    [MemberData(nameof(BadExtensions))]
    public async Task Extend_BadInput_400ListingTheProblems_NothingChanged(string why, object body, string[] fields)
    {
        var before = await DbSnapshot.TakeAsync(_site.Database);

        var response = await Post("c", "extend", body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, why);
        Assert.Equal(fields, (await Requests.ProblemAsync(response)).Errors!.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));
    }

    [Fact]
    public async Task Extend_PastTheMaximumExtensionsOrTheLongestLease_400_NothingChanged()
    {
        Assert.Equal(new SiteLimitsView("2h", null, 100, "1"),
            await _site.Client.SetSiteLimitsAsync(new SiteLimitsRequest("2h", null, MaxExtensions: "1"), CancellationToken.None));
        await _site.Client.ExtendClusterAsync("c", new ExtendRequest(null, "30m"), CancellationToken.None);
        var before = await DbSnapshot.TakeAsync(_site.Database);

        var response = await Post("c", "extend", new { by = "1h" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Requests.ProblemAsync(response);
        Assert.Equal(["by", "extensions"], problem.Errors!.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Contains("this site's longest lease is 2h", problem.Errors!.Single(e => e.Field == "by").Message, StringComparison.Ordinal);
        Assert.Contains("this site allows at most 1", problem.Errors!.Single(e => e.Field == "extensions").Message, StringComparison.Ordinal);
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));
    }

    [Fact]
    public async Task MaxExtensions_NotACount_400_NothingChanged()
    {
        var refused = await Assert.ThrowsAsync<VcmApiException>(() =>
            _site.Client.SetSiteLimitsAsync(new SiteLimitsRequest(null, null, MaxExtensions: "many"), CancellationToken.None));
        var negative = await Assert.ThrowsAsync<VcmApiException>(() =>
            _site.Client.SetSiteLimitsAsync(new SiteLimitsRequest(null, null, MaxExtensions: "-1"), CancellationToken.None));

        Assert.Equal(["maxExtensions"], refused.Problem.Errors!.Select(e => e.Field));
        Assert.Equal(400, negative.Status);
        Assert.Equal(new SiteLimitsView(null, null, 100, null), await _site.Client.GetSiteLimitsAsync(CancellationToken.None));
        Assert.Equal(new SiteLimitsView(null, null, 100, "0"), await _site.Client.SetSiteLimitsAsync(new SiteLimitsRequest(null, null, MaxExtensions: "0"), CancellationToken.None));
        Assert.Equal(HttpStatusCode.BadRequest, (await Post("c", "extend", new { by = "1h" })).StatusCode); // 0 extensions allowed
    }

    [Fact]
    public async Task Extend_AScheduledCluster_Fits()
    {
        var extended = await _site.Client.ExtendClusterAsync("later", new ExtendRequest(null, "2h"), CancellationToken.None);

        Assert.Equal("Scheduled", extended.Phase);
        Assert.Equal(T.AddHours(5), extended.End);
    }

    [Fact]
    public async Task Grow_IntoFreeCapacity_AddsTheNextWorkersWithClaims_ForTheRestOfTheWindow()
    {
        _clock.Advance(TimeSpan.FromMinutes(10));

        var grown = await _site.Client.ResizeClusterAsync("c", new ResizeRequest(22), CancellationToken.None);

        Assert.Equal(22, grown.Spec.Workers);
        Assert.Equal(23, grown.NodesTotal);
        var added = grown.Nodes!.Where(n => n.Name is "node-21" or "node-22").ToList();
        Assert.Equal(2, added.Count);
        Assert.All(added, n => Assert.Equal("pending", n.State));
        var created = grown.Nodes!.Single(n => n.Name == "node-20");
        Assert.NotEqual(created.Ip, added[0].Ip);
        var claims = await ClaimsOfAsync("c");
        Assert.Equal([(T, 21L), (T.AddMinutes(10), 2L)], claims.Select(c => (DateTimeOffset.FromUnixTimeMilliseconds(c.StartMs), c.Cpus)));
        var events = await _site.Client.ListEventsAsync("c", CancellationToken.None);
        Assert.Contains(events, e => e.Reason == "Resized" && e.Message == "resized from 20 to 22 workers: adds node-21, node-22");
    }

    [Fact]
    public async Task Grow_BeyondTheFreeCapacity_409WithTheLargestSizeThatFits_NothingChanged()
    {
        var before = await DbSnapshot.TakeAsync(_site.Database);

        var response = await Post("c", "resize", new { workers = 40 });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await Requests.ProblemAsync(response);
        Assert.Equal(31, problem.LargestWorkers); // 32 cpus: the head and 31 workers
        Assert.Contains("can grow to 31 workers at most", problem.Detail, StringComparison.Ordinal);
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));

        var grown = await _site.Client.ResizeClusterAsync("c", new ResizeRequest(problem.LargestWorkers), CancellationToken.None);
        Assert.Equal(31, grown.Spec.Workers);
    }

    [Fact]
    public async Task Shrink_BeforeTheBuild_DropsTheHighestNumberedWorkersAndTheirCapacity()
    {
        var shrunk = await _site.Client.ResizeClusterAsync("later", new ResizeRequest(3), CancellationToken.None);

        Assert.Equal(["head", "node-01", "node-02", "node-03"], shrunk.Nodes!.Select(n => n.Name));
        Assert.Equal([4L], (await ClaimsOfAsync("later")).Select(c => c.Cpus));
        // the capacity it gave back is there for others: "c" now extends over "later"'s window
        await _site.Client.ExtendClusterAsync("c", new ExtendRequest(null, "3h"), CancellationToken.None);
    }

    public static TheoryData<string, object, string> BadSizes() => new()
    {
        { "zero", new { workers = 0 }, "workers" },
        { "below zero", new { workers = -3 }, "workers" },
        { "beyond the limit", new { workers = SpecLimits.MaxWorkers + 1 }, "workers" },
        { "missing", new { }, "workers" },
        { "the same", new { workers = 20 }, "workers" },
    };

    [Theory]
    [MemberData(nameof(BadSizes))]
    public async Task Resize_BadInput_400ListingTheProblem_NothingChanged(string why, object body, string field)
    {
        var before = await DbSnapshot.TakeAsync(_site.Database);

        var response = await Post("c", "resize", body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, why);
        Assert.Equal([field], (await Requests.ProblemAsync(response)).Errors!.Select(e => e.Field));
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));
    }

    [Fact]
    public async Task Changes_ToAClusterThatIsNotLive_AreConflicts_AndToAnUnknownOne_NotFound()
    {
        await _site.Client.DeleteClusterAsync("later", CancellationToken.None);

        var gone = await Post("later", "resize", new { workers = 2 });
        var unknown = await Post("nobody", "extend", new { by = "1h" });

        Assert.True(gone.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound, gone.StatusCode.ToString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
