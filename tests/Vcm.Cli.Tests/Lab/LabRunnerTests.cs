using Vcm.Cli.Infrastructure;
using Vcm.Cli.Lab;
using Vcm.Testing;
using Xunit;

namespace Vcm.Cli.Tests.Lab;

/// <summary>Taking a lab down waits until nothing runs in its hosts' namespaces before it removes them (nothing real is run).</summary>
public sealed class LabRunnerTests
{
    [Fact]
    public async Task Stop_ProgramsStillExitingAfterTeardown_RemovesTheNamespacesOnlyOnceTheyAreEmpty()
    {
        var asked = 0;
        using var lab = new RecordedLab(pids: netns => netns == "vcl-a1" && Interlocked.Increment(ref asked) <= 3 ? "4242\n" : "");

        await new LabRunner(lab.Services, "vcm").StopAsync(lab.State, CancellationToken.None);

        Assert.True(asked > 3, "the lab did not wait for the program in vcl-a1 to exit");
        Assert.True(lab.Last("ip netns pids") < lab.First("ip netns del"), string.Join('\n', lab.Runner.Commands));
        Assert.True(lab.First("ip netns exec vcl-a2 vcm agent --teardown --host-name a2") < lab.First("ip netns pids"));
        Assert.All(["vcl-a1", "vcl-a2", "vcl-a-ext", "vcl-a-sw"], ns => Assert.Contains($"ip netns del {ns}", lab.Runner.Commands));
        Assert.False(lab.Recorded, "lab.json is left");
    }

    [Fact]
    public async Task Stop_ProgramNeverExits_SaysWhatRunsAndKeepsTheLab()
    {
        // each look into vcl-a1 finds the program still there, and time passes on the clock meanwhile
        var clock = new ManualClock();
        using var lab = new RecordedLab(
            pids: netns =>
            {
                clock.Advance(TimeSpan.FromSeconds(5));
                return netns == "vcl-a1" ? "4242\n" : "";
            },
            other: spec => spec.CommandLine.Contains("--teardown --host-name a1", StringComparison.Ordinal) ? (1, "", "tgtd: still busy") : null,
            clock: clock);

        var error = await Assert.ThrowsAsync<CliException>(() => new LabRunner(lab.Services, "vcm").StopAsync(lab.State, CancellationToken.None));
        Assert.Contains("(pid 4242) in vcl-a1 still run", error.Message, StringComparison.Ordinal);
        Assert.Contains("host a1: tgtd: still busy", error.Message, StringComparison.Ordinal);
        Assert.Equal(-1, lab.First("ip netns del"));
        Assert.True(lab.Recorded, "lab.json is gone although the lab is not");
    }
}
