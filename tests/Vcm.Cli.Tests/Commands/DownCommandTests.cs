using System.CommandLine;
using Vcm.Cli.Infrastructure;
using Vcm.Cli.Tests.Lab;
using Xunit;

namespace Vcm.Cli.Tests.Commands;

/// <summary>`vcm down` composed over a recording runner: every program it runs goes through the runner it was given.</summary>
public sealed class DownCommandTests
{
    [Fact]
    public async Task Down_Lab_RunsEveryProgramThroughTheGivenRunner()
    {
        using var lab = new RecordedLab();
        var vcm = VcmCommandLine.Create(lab.Services);

        var code = await vcm.Parse(["down", "--data", lab.DataDirectory]).InvokeAsync();

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains(lab.Runner.Commands, c => c.StartsWith("ip netns exec vcl-a1 ", StringComparison.Ordinal) && c.Contains(" agent --teardown --host-name a1 ", StringComparison.Ordinal));
        Assert.Contains("ip netns del vcl-a1", lab.Runner.Commands);
        Assert.Contains("ip link del vclm-a", lab.Runner.Commands);
        Assert.False(lab.Recorded, "lab.json is left");
    }
}
