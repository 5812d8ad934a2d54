using System.Globalization;
using Vcm.Api;
using Vcm.Testing;
using Xunit;

namespace Vcm.EndToEnd.Tests;

/// <summary>`vcm cluster create --repeat`, `vcm series list|show|delete` against `vcm up --sim`; a bad rule refused in one sentence.</summary>
public sealed class SeriesCliTests(UpFixture fixture) : IClassFixture<UpFixture>
{
    private readonly VcmCli _cli = fixture.Cli;

    [Fact]
    public async Task CreateWithRepeat_ThenListShowDeleteOneAndTheRest()
    {
        var start = DateTimeOffset.UtcNow.AddDays(3);
        var local = start.ToString("yyyy-MM-ddT09:00", CultureInfo.InvariantCulture);
        var created = await _cli.JsonAsync<SeriesView>(
            "cluster", "create", "weekly", "--workers", "1", "--start", local, "--time-zone", "Asia/Tokyo", "--for", "1h",
            "--repeat", "FREQ=WEEKLY;COUNT=3");
        var list = await _cli.JsonAsync<List<SeriesView>>("series", "list");
        var text = await _cli.RunAsync("series", "show", "weekly");
        var second = created.Occurrences![1].Date;
        var one = await _cli.JsonAsync<SeriesView>("series", "delete", "weekly", "--occurrence", second);
        var rest = await _cli.RunAsync("series", "delete", "weekly");
        var bad = await _cli.RunAsync("cluster", "create", "bad", "--workers", "1", "--start", local, "--for", "1h", "--repeat", "FREQ=WEEKLY");
        var zoneWithoutRepeat = await _cli.RunAsync("cluster", "create", "bad", "--workers", "1", "--time-zone", "Asia/Tokyo");

        Assert.Equal(3, created.Occurrences.Count);
        Assert.All(created.Occurrences, o => Assert.Equal(TimeSpan.FromHours(9), o.Start.ToOffset(TimeSpan.FromHours(9)).TimeOfDay));
        Assert.Equal($"weekly-{start:yyyyMMdd}", created.Occurrences[0].Cluster);
        Assert.Contains(list, s => s.Name == "weekly" && s.Live == 3);
        Assert.True(text.ExitCode == 0, text.StandardError);
        Assert.Contains($"weekly-{start:yyyyMMdd}", text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("FREQ=WEEKLY;COUNT=3 in Asia/Tokyo", text.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(3, one.Live); // asked to release; released by its controller
        Assert.True(rest.ExitCode == 0, rest.StandardError);
        Assert.Contains("Deleted series weekly", rest.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("never ends: give COUNT or UNTIL", bad.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, zoneWithoutRepeat.ExitCode);
        Assert.Equal("--time-zone and --allow-partial go with --repeat.", zoneWithoutRepeat.StandardError.Trim());
    }
}
