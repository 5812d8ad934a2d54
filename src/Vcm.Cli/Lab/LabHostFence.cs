using Vcm.Drivers.Processes;
using Vcm.Manager.Hosts;

namespace Vcm.Cli.Lab;

/// <summary>
/// A lab's built-in fence (`vcm up --lab`, unless --fence-command is given): a lab host is a network namespace, so
/// fencing it ends every process in that namespace — its agent and its VMs — with SIGKILL (PIDs from
/// `ip netns pids NS`), and it is fenced once the namespace holds none. Only the namespaces the lab made, by host name;
/// any other host is not fenced.
/// </summary>
public sealed class LabHostFence(IReadOnlyDictionary<string, string> namespaces, IProcessRunner runner) : IHostFence
{
    private const int Rounds = 20;

    public static LabHostFence Of(LabState state, IProcessRunner runner) =>
        new(state.Plan.Sites.SelectMany(s => s.Hosts).ToDictionary(h => h.Name, h => h.Netns, StringComparer.Ordinal), runner);

    public async Task<FenceResult> FenceAsync(FenceTarget target, CancellationToken cancellationToken)
    {
        if (!namespaces.TryGetValue(target.Host, out var ns))
        {
            return FenceResult.NotFenced($"{target.Host} is not a host of this lab");
        }

        var ended = new HashSet<int>();
        // a process may be forking as it is killed: look again until the namespace is empty
        for (var round = 0; round < Rounds; round++)
        {
            var listed = await runner.RunAsync(ProcessSpec.Of("ip", "netns", "pids", ns) with { Timeout = TimeSpan.FromSeconds(10) }, cancellationToken);
            if (!listed.Succeeded)
            {
                return FenceResult.NotFenced($"ip netns pids {ns} failed: {listed.StandardError.Trim()}");
            }

            var pids = listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => int.TryParse(p, out var pid) ? pid : 0).Where(p => p > 1).ToList();
            if (pids.Count == 0)
            {
                return FenceResult.Done($"ended {ended.Count} processes in namespace {ns}");
            }

            foreach (var pid in pids)
            {
                Signals.ForceKill(pid);
                ended.Add(pid);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50 * (round + 1)), cancellationToken);
        }

        return FenceResult.NotFenced($"processes still run in namespace {ns} after {Rounds} rounds of SIGKILL");
    }
}
