using System.CommandLine;
using Vcm.Api;
using Vcm.Cli.Commands.Clusters;
using Vcm.Cli.Infrastructure;
using Vcm.Cli.Tests.Lab;
using Xunit;

namespace Vcm.Cli.Tests.Commands;

/// <summary>`vcm cluster create … --start-between A B --for 4h`: two times, sent as start and latestStart, the chosen start said.</summary>
public sealed class StartBetweenTests
{
    [Fact]
    public void ClusterCreate_TakesStartBetween_AsTwoTimes()
    {
        using var lab = new RecordedLab();
        var vcm = VcmCommandLine.Create(lab.Services);

        var ok = vcm.Parse(["cluster", "create", "c", "-n", "2", "--start-between", "2031-01-06T09:00:00Z", "2031-01-06T18:00:00Z", "--for", "4h"]);
        var one = vcm.Parse(["cluster", "create", "c", "-n", "2", "--start-between", "2031-01-06T09:00:00Z", "--for", "4h"]);

        Assert.Empty(ok.Errors);
        Assert.NotEmpty(one.Errors);
    }

    [Fact]
    public void Window_SendsAAsStart_AndBAsLatestStart_AndRefusesStartWithIt()
    {
        Assert.Equal(("A", "B"), StartBetween.Window(null, ["A", "B"]));
        Assert.Equal(("now", (string?)null), StartBetween.Window("now", null));
        var both = Assert.Throws<CliException>(() => StartBetween.Window("now", ["A", "B"]));
        Assert.Equal(ExitCodes.Usage, both.ExitCode);
        Assert.Equal("Give --start or --start-between, not both.", both.Message);
    }

    [Fact]
    public void Chosen_SaysWhichStartTheManagerChose()
    {
        var option = StartBetween.Option();
        var between = new RootCommand { option }.Parse(["--start-between", "2031-01-06T09:00:00Z", "2031-01-06T18:00:00Z"]).GetValue(option)!;
        var created = new ClusterView
        {
            Id = "cl-1", Name = "c", Phase = "Scheduled", Site = "a", Subnet = "10.20.0.0/24",
            Start = new DateTimeOffset(2031, 1, 6, 11, 30, 0, TimeSpan.Zero), End = new DateTimeOffset(2031, 1, 6, 15, 30, 0, TimeSpan.Zero),
            CreatedAt = new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero), NodesReady = 0, NodesTotal = 3, Spec = null!,
        };

        Assert.Equal(
            "start     2031-01-06 11:30:00Z, the earliest from 2031-01-06T09:00:00Z to 2031-01-06T18:00:00Z at which the whole window fits",
            StartBetween.Chosen(created, between));
    }
}
