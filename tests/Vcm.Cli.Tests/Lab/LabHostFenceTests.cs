using Vcm.Cli.Lab;
using Vcm.Drivers.Processes;
using Vcm.Manager.Hosts;
using Xunit;

namespace Vcm.Cli.Tests.Lab;

/// <summary>
/// The lab's fence on a real network namespace (made here, as the lab makes its hosts): every process in it ends, a
/// process outside it does not, and a host the lab did not make is not fenced.
/// </summary>
public sealed class LabHostFenceTests
{
    [RootFact]
    public async Task LabHost_EveryProcessInItsNamespaceEnds_NothingOutside()
    {
        var ns = $"vct-fence-{Environment.ProcessId % 100000}";
        var runner = ProcessRunner.Instance;
        (await runner.RunAsync(ProcessSpec.Of("ip", "netns", "add", ns), CancellationToken.None)).EnsureSuccess();
        using var inside = runner.Start(ProcessSpec.Of("ip", "netns", "exec", ns, "sh", "-c", "sleep 600 & sleep 600"));
        using var outside = runner.Start(ProcessSpec.Of("sleep", "600"));
        try
        {
            await WaitAsync(async () => (await PidsAsync(ns)).Count >= 3);

            var result = await new LabHostFence(new Dictionary<string, string> { ["a2"] = ns }, runner)
                .FenceAsync(new FenceTarget("a2", "10.99.0.2", "a"), CancellationToken.None);

            Assert.True(result.Fenced, result.Detail);
            Assert.Empty(await PidsAsync(ns));
            await inside.WaitForExitAsync(CancellationToken.None);
            Assert.True(Signals.IsAlive(outside.Pid), "a process outside the namespace was ended");
            var other = await new LabHostFence(new Dictionary<string, string> { ["a2"] = ns }, runner)
                .FenceAsync(new FenceTarget("b1", "10.99.0.3", "a"), CancellationToken.None);
            Assert.False(other.Fenced);
        }
        finally
        {
            outside.Kill();
            inside.Kill();
            foreach (var pid in await PidsAsync(ns))
            {
                Signals.ForceKill(pid);
            }

            await runner.RunAsync(ProcessSpec.Of("ip", "netns", "del", ns), CancellationToken.None);
        }
    }

    private static async Task<IReadOnlyList<int>> PidsAsync(string ns)
    {
        var listed = await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("ip", "netns", "pids", ns), CancellationToken.None);
        return listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200 && !await condition(); i++)
        {
            await Task.Delay(25);
        }
    }
}
