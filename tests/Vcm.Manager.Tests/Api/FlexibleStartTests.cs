using System.Net;
using Vcm.Domain.Clusters;
using Vcm.Manager.Configuration;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Api;

/// <summary>
/// A flexible start (<c>latestStart</c>, with <c>start</c> and a <c>duration</c>): the cluster starts at the earliest
/// time in the range at which its whole window fits, and shows that start; it is refused, naming why, only when none
/// fits; bad ranges are listed with every other problem and change nothing.
/// </summary>
public sealed class FlexibleStartTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T = new(2031, 3, 3, 9, 0, 0, TimeSpan.Zero);

    private readonly ManualClock _clock = new(T);
    private TestSite _site = null!;

    public async Task InitializeAsync()
    {
        // Two hosts of 32 cpus; "busy" holds 41 of them from T+1h to T+3h. Controllers off: only requests write.
        _site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 2, clock: _clock, controllers: new ControllerOptions { Enabled = false });
        await _site.Client.CreateClusterAsync(
            new ClusterSpecInput { Name = "busy", Workers = 40, Start = At(1), Duration = "2h" }, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _site.DisposeAsync();

    private static string At(double hours) => T.AddHours(hours).ToString("O");

    [Fact]
    public async Task BusyAtTheStart_StartsAtTheFirstTimeTheWholeWindowFits_AndShowsIt()
    {
        var created = await _site.Client.CreateClusterAsync(
            new ClusterSpecInput { Name = "flex", Workers = 40, Start = At(0.5), LatestStart = At(5), Duration = "1h" }, CancellationToken.None);

        Assert.Equal(T.AddHours(3), created.Start);
        Assert.Equal(T.AddHours(4), created.End);
        var shown = await _site.Client.GetClusterAsync("flex", nodes: false, CancellationToken.None);
        Assert.Equal((T.AddHours(3), T.AddHours(4)), (shown.Spec.Start, shown.Spec.End));
        Assert.Equal((T.AddHours(3), T.AddHours(4)), (shown.Start, shown.End));
    }

    [Fact]
    public async Task FreeAtTheStart_StartsThere()
    {
        var created = await _site.Client.CreateClusterAsync(
            new ClusterSpecInput { Name = "small", Workers = 4, Start = At(1), LatestStart = At(5), Duration = "1h" }, CancellationToken.None);

        Assert.Equal(T.AddHours(1), created.Start);
    }

    [Fact]
    public async Task FitsNowhereInTheRange_409NamingWhy_WithTheEarliestStartAfterIt_DatabaseUnchanged()
    {
        var before = await DbSnapshot.TakeAsync(_site.Database);

        var response = await Requests.PostClusterAsync(_site.Client.Http,
            new { name = "flex", workers = 40, start = At(0.5), latestStart = At(2), duration = "1h" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await Requests.ProblemAsync(response);
        Assert.Contains("nodes (", problem.Detail, StringComparison.Ordinal);
        Assert.Contains($"it fits at no start from {T.AddHours(0.5):u} to {T.AddHours(2):u}", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(T.AddHours(3), problem.EarliestStart);
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));
    }

    public static TheoryData<string, string, string[]> BadRanges() => new()
    {
        { "range ends before it begins", $$"""{"name":"c","workers":1,"start":"{{At(5)}}","latestStart":"{{At(4)}}","duration":"1h"}""", ["latestStart"] },
        { "latest start in the past", """{"name":"c","workers":1,"latestStart":"2030-01-01T00:00:00Z","duration":"1h"}""", ["latestStart"] },
        { "an end instead of a duration", $$"""{"name":"c","workers":1,"start":"{{At(1)}}","latestStart":"{{At(4)}}","end":"{{At(6)}}"}""", ["end"] },
        { "unparsable latest start", """{"name":"c","workers":1,"latestStart":"tuesday","duration":"1h"}""", ["latestStart"] },
        {
            "every problem at once",
            $$"""{"name":"c","workers":0,"start":"soon","latestStart":"tuesday","end":"{{At(6)}}"}""",
            ["end", "latestStart", "start", "workers"]
        },
    };

    [Theory]
    [MemberData(nameof(BadRanges))]
    public async Task BadRange_400ListsEveryProblem_DatabaseUnchanged(string what, string body, string[] fields)
    {
        var before = await DbSnapshot.TakeAsync(_site.Database);

        var response = await Requests.PostClusterAsync(_site.Client.Http, body);

        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, what);
        var problem = await Requests.ProblemAsync(response);
        Assert.Equal(fields, problem.Errors!.Select(e => e.Field).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));
    }
}
