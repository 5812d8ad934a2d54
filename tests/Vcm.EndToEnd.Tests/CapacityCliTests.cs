using Vcm.Api;
using Vcm.Testing;
using Xunit;

namespace Vcm.EndToEnd.Tests;

/// <summary>`vcm capacity` against `vcm up --sim`: the site's free capacity by step, where a request fits, and a --fit that is not a request refused in one sentence.</summary>
public sealed class CapacityCliTests(UpFixture fixture) : IClassFixture<UpFixture>
{
    private readonly VcmCli _cli = fixture.Cli;

    [Fact]
    public async Task Capacity_ByStep_AndWhereARequestFits()
    {
        var timeline = await _cli.JsonAsync<CapacityTimelineView>("capacity", "--step", "6h", "--cpus", "2", "--memory", "1G");
        var fit = await _cli.JsonAsync<FitWindowsView>("capacity", "--fit", "--workers 2 --cpus 2 --memory 1G", "--for", "2h");
        var text = await _cli.RunAsync("capacity", "--step", "12h");
        var bad = await _cli.RunAsync("capacity", "--fit", "--workers two", "--for", "2h");

        Assert.Equal(4, timeline.Steps.Count);
        Assert.All(timeline.Steps, s => Assert.True(s.Cpus > 0 && s.Nodes > 0, $"{s.Start:u}: {s.Cpus} cpus, {s.Nodes} nodes"));
        Assert.Equal("2h", fit.Duration);
        Assert.NotEmpty(fit.Windows);
        Assert.True(text.ExitCode == 0, text.StandardError);
        Assert.Contains("free through each 12h", text.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(2, bad.ExitCode);
        Assert.Single(bad.StandardError.Trim().Split('\n'));
    }
}
