using System.Net;
using System.Net.Http.Json;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Domain.Series;
using Vcm.Manager.Controllers;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Api;

/// <summary>
/// Series (recurring reservations) on a manual clock, the controllers driven step by step: every occurrence admitted in
/// one transaction and built and released at its own time like any cluster; 09:00 in Berlin stays 09:00 across the DST
/// change; a series that does not fit whole is refused with every failing date and nothing stored (or, allowPartial,
/// admitted in part); bad input is listed and changes nothing; one occurrence, or the rest, can be deleted.
/// </summary>
public sealed class SeriesApiTests : IAsyncLifetime
{
    // Saturday; Europe/Berlin moves to summer time on Sunday 2027-03-28
    private static readonly DateTimeOffset T = new(2027, 3, 20, 0, 0, 0, TimeSpan.Zero);

    private readonly ManualClock _clock = new(T);
    private TestSite _site = null!;

    public async Task InitializeAsync() =>
        _site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 2, clock: _clock);

    public async Task DisposeAsync() => await _site.DisposeAsync();

    /// <summary>Three Tuesdays at 09:00 Berlin time for 3h: 2027-03-23 (UTC+1), 03-30 and 04-06 (UTC+2).</summary>
    private static SeriesInput Lab(int workers = 2, string rule = "FREQ=WEEKLY;BYDAY=TU;COUNT=3") => new()
    {
        Name = "lab", Workers = workers, Start = "2027-03-23T09:00", TimeZone = "Europe/Berlin", Duration = "3h", Repeat = rule,
    };

    [Fact]
    public async Task WeeklySeries_KeepsNineLocalAcrossDst_EachOccurrenceBuiltAtItsStartAndReleasedAtItsEnd()
    {
        var created = await _site.Client.CreateSeriesAsync(Lab(), CancellationToken.None);

        Assert.Equal(["lab-20270323", "lab-20270330", "lab-20270406"], created.Occurrences!.Select(o => o.Cluster));
        Assert.Equal(["2027-03-23", "2027-03-30", "2027-04-06"], created.Occurrences!.Select(o => o.Date));
        Assert.Equal(
            [new DateTimeOffset(2027, 3, 23, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 3, 30, 7, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 4, 6, 7, 0, 0, TimeSpan.Zero)],
            created.Occurrences!.Select(o => o.Start.ToUniversalTime()));
        Assert.All(created.Occurrences!, o => Assert.Equal(("Scheduled", TimeSpan.FromHours(3)), (o.Phase, o.End - o.Start)));
        Assert.Empty(created.Refused!);

        foreach (var occurrence in created.Occurrences!)
        {
            var cluster = await _site.Client.GetClusterAsync(occurrence.Cluster, nodes: false, CancellationToken.None);
            await StepAsync(cluster.Id);
            Assert.Equal("Scheduled", await PhaseAsync(occurrence.Cluster));
            Assert.Empty(Vms());

            _clock.Advance(occurrence.Start - _clock.GetUtcNow());
            await RunUntilAsync(cluster.Id, occurrence.Cluster, "Ready");
            Assert.Equal(3, Vms().Count);

            _clock.Advance(occurrence.End - _clock.GetUtcNow());
            await RunUntilAsync(cluster.Id, occurrence.Cluster, "Released");
            Assert.Empty(Vms());
        }

        var shown = await _site.Client.GetSeriesAsync("lab", CancellationToken.None);
        Assert.All(shown.Occurrences!, o => Assert.Equal("Released", o.Phase));
        Assert.Equal((3, 0), (shown.Admitted, shown.Live));
    }

    [Fact]
    public async Task OneOccurrenceDoesNotFit_409ListsItsDateAndWhy_NothingStored()
    {
        await BusyOnTheSecondTuesdayAsync();
        var before = await DbSnapshot.TakeAsync(_site.Database);

        var refused = await Assert.ThrowsAsync<VcmApiException>(() => _site.Client.CreateSeriesAsync(Lab(workers: 30), CancellationToken.None));

        Assert.Equal(409, refused.Status);
        var only = Assert.Single(refused.Problem.Refused!);
        Assert.Equal(("2027-03-30", "lab-20270330"), (only.Date, only.Cluster));
        Assert.Contains("only", only.Reason, StringComparison.Ordinal);
        Assert.Contains("2027-03-30: ", refused.Problem.Detail, StringComparison.Ordinal);
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));
        Assert.Empty(await _site.Client.ListSeriesAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AllowPartial_AdmitsTheOccurrencesThatFit_AndListsTheOthers()
    {
        await BusyOnTheSecondTuesdayAsync();

        var created = await _site.Client.CreateSeriesAsync(Lab(workers: 30) with { AllowPartial = true }, CancellationToken.None);

        Assert.Equal(["lab-20270323", "lab-20270406"], created.Occurrences!.Select(o => o.Cluster));
        Assert.Equal(["2027-03-30"], created.Refused!.Select(r => r.Date));
        var shown = await _site.Client.GetSeriesAsync("lab", CancellationToken.None);
        Assert.Equal(created.Refused, shown.Refused);
        var events = await _site.Client.ListEventsAsync("lab-20270406", CancellationToken.None);
        Assert.Contains("occurrence 3 of 3 of series lab", Assert.Single(events).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOccurrencesCountAgainstEachOther_TwoThatOverlapDoNotShareFreeCapacity()
    {
        // daily, 30 hours long: each occurrence overlaps the next; either alone fits the site, two together do not
        var input = Lab(workers: 40, rule: "FREQ=DAILY;COUNT=2") with { Duration = "30h", AllowPartial = true };

        var created = await _site.Client.CreateSeriesAsync(input, CancellationToken.None);

        Assert.Equal(["lab-20270323"], created.Occurrences!.Select(o => o.Cluster));
        Assert.Equal(["2027-03-24"], created.Refused!.Select(r => r.Date));
    }

    public static TheoryData<string, string, string[]> BadSeries() => new()
    {
        { "malformed rule", """{"name":"lab","workers":1,"start":"2027-03-23T09:00Z","duration":"1h","repeat":"FREQ=WEEKLY;BYDAY=XX;COUNT=2"}""", ["repeat"] },
        { "unbounded rule", """{"name":"lab","workers":1,"start":"2027-03-23T09:00Z","duration":"1h","repeat":"FREQ=WEEKLY"}""", ["repeat"] },
        { "too many occurrences", """{"name":"lab","workers":1,"start":"2027-03-23T09:00Z","duration":"1h","repeat":"FREQ=DAILY;COUNT=101"}""", ["repeat"] },
        { "unknown time zone", """{"name":"lab","workers":1,"start":"2027-03-23T09:00","timeZone":"Europe/Atlantis","duration":"1h","repeat":"FREQ=DAILY;COUNT=2"}""", ["timeZone"] },
        { "with a start range", """{"name":"lab","workers":1,"start":"2027-03-23T09:00Z","latestStart":"2027-03-23T12:00Z","duration":"1h","repeat":"FREQ=DAILY;COUNT=2"}""", ["latestStart"] },
        { "with a site at a peer", """{"name":"lab","workers":1,"start":"2027-03-23T09:00Z","duration":"1h","repeat":"FREQ=DAILY;COUNT=2","sites":["local:1","far:1"]}""", ["sites", "sites[1]"] },
        {
            "every problem at once",
            """{"name":"lab","workers":0,"start":"2027-03-23T09:00","timeZone":"Mars/Base","repeat":"FREQ=DAILY","allowPartial":"yes","color":"red"}""",
            ["allowPartial", "color", "repeat", "timeZone", "workers"]
        },
    };

    [Theory]
    [MemberData(nameof(BadSeries))]
    public async Task BadSeries_400ListsEveryProblem_NothingChanged(string what, string body, string[] fields)
    {
        var before = await DbSnapshot.TakeAsync(_site.Database);

        var response = await _site.Client.Http.PostAsync("/api/v1/series", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {response.StatusCode}");
        var problem = await Requests.ProblemAsync(response);
        Assert.True(fields.SequenceEqual(problem.Errors!.Select(e => e.Field).Distinct().Order(StringComparer.Ordinal)), $"{what}: {problem.Detail}");
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));
    }

    [Fact]
    public async Task MoreOccurrencesThanTheSiteLimit_400()
    {
        await _site.Client.SetSiteLimitsAsync(new SiteLimitsRequest(null, null, 2), CancellationToken.None);

        var refused = await Assert.ThrowsAsync<VcmApiException>(() => _site.Client.CreateSeriesAsync(Lab(), CancellationToken.None));

        Assert.Equal(400, refused.Status);
        Assert.Contains("at most 2 occurrences", Assert.Single(refused.Problem.Errors!).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANameTaken_409_AndAnOccurrenceWhoseClusterNameIsTaken_IsRefusedWithWhy()
    {
        await _site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "lab-20270330", Workers = 1 }, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<VcmApiException>(() => _site.Client.CreateSeriesAsync(Lab(), CancellationToken.None));
        Assert.Equal(409, refused.Status);
        Assert.Contains("a cluster named lab-20270330 exists already", Assert.Single(refused.Problem.Refused!).Reason, StringComparison.Ordinal);

        await _site.Client.CreateSeriesAsync(Lab() with { Name = "other" }, CancellationToken.None);
        var again = await Assert.ThrowsAsync<VcmApiException>(() => _site.Client.CreateSeriesAsync(Lab() with { Name = "other" }, CancellationToken.None));
        Assert.Equal(409, again.Status);
        Assert.Contains("A series named 'other' exists already", again.Problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteOneOccurrence_ThenTheRest_TheEndedOneStaysInHistory()
    {
        var created = await _site.Client.CreateSeriesAsync(Lab(), CancellationToken.None);
        var first = await _site.Client.GetClusterAsync("lab-20270323", nodes: false, CancellationToken.None);
        _clock.Advance(created.Occurrences![0].End - _clock.GetUtcNow());
        await RunUntilAsync(first.Id, "lab-20270323", "Released");

        var one = await _site.Client.DeleteSeriesAsync("lab", "2027-04-06", CancellationToken.None);
        Assert.Equal(2, one.Live);
        Assert.NotNull((await _site.Client.GetClusterAsync("lab-20270406", nodes: false, CancellationToken.None)).DeletionRequestedAt);
        Assert.Null((await _site.Client.GetClusterAsync("lab-20270330", nodes: false, CancellationToken.None)).DeletionRequestedAt);
        var missing = await Assert.ThrowsAsync<VcmApiException>(() => _site.Client.DeleteSeriesAsync("lab", "2027-04-13", CancellationToken.None));
        Assert.Equal(404, missing.Status);

        await _site.Client.DeleteSeriesAsync("lab", null, CancellationToken.None);

        Assert.NotNull((await _site.Client.GetClusterAsync("lab-20270330", nodes: false, CancellationToken.None)).DeletionRequestedAt);
        Assert.Null((await _site.Client.GetClusterAsync("lab-20270323", nodes: false, CancellationToken.None)).DeletionRequestedAt);
        Assert.Equal(404, (await Assert.ThrowsAsync<VcmApiException>(() => _site.Client.GetSeriesAsync("lab", CancellationToken.None))).Status);
        Assert.Empty(await _site.Client.ListSeriesAsync(CancellationToken.None));
        var again = await _site.Client.CreateSeriesAsync(Lab() with { Name = "lab", Start = "2027-04-20T09:00" }, CancellationToken.None);
        Assert.Equal("lab-20270420", again.Occurrences![0].Cluster); // the name is free again
    }

    /// <summary>"busy" holds 41 of the 64 cpus through the second Tuesday's window.</summary>
    private async Task BusyOnTheSecondTuesdayAsync() =>
        await _site.Client.CreateClusterAsync(
            new ClusterSpecInput { Name = "busy", Workers = 40, Start = "2027-03-30T06:00:00Z", Duration = "5h" }, CancellationToken.None);

    private Task<ReconcileResult> StepAsync(string id) => _site.Reconciler.ReconcileAsync(id, CancellationToken.None);

    private async Task<string> PhaseAsync(string name) => (await _site.Client.GetClusterAsync(name, nodes: false, CancellationToken.None)).Phase;

    private List<Drivers.Compute.VmStatus> Vms() =>
        _site.Agent.Hosts.ByName.Values.Cast<Vcm.Agent.Sim.SimHost>().SelectMany(s => s.Inventory().Vms).ToList();

    private Task RunUntilAsync(string id, string name, string phase) => _site.ReconcileUntilAsync(_clock, id, name, phase);
}
