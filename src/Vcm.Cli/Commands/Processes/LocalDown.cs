using Microsoft.EntityFrameworkCore;
using Vcm.Cli.Infrastructure;
using Vcm.Drivers.Processes;
using Vcm.Store;

namespace Vcm.Cli.Commands.Processes;

/// <summary>
/// `vcm down` on a one-host site (`vcm up` without --lab): with no manager running, every live cluster is marked
/// for release (the next `vcm up` finishes the job) and everything vcm made on this machine is removed now.
/// </summary>
internal static class LocalDown
{
    public static async Task<int> RunAsync(Invocation cli, CliServices services, string data, CancellationToken ct)
    {
        var agentData = Path.Combine(data, "agent");
        if (!Directory.Exists(agentData) || File.Exists(Path.Combine(agentData, "sim")))
        {
            Console.Out.WriteLine($"Nothing of vcm's is set up from {data}; nothing to do.");
            return ExitCodes.Ok;
        }

        var options = ManagerCommand.Read(cli);
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) })
        {
            try
            {
                using var response = await http.GetAsync(options.Listen.Split(';')[0] + "/healthz", ct);
                throw new CliException($"A manager still runs at {options.Listen}; stop `vcm up` first", ExitCodes.Usage);
            }
            catch (HttpRequestException)
            {
                // nothing listens: good
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
            }
        }

        var marked = await MarkClustersDeletedAsync(options.EffectiveStore, services.Clock, ct);
        var teardown = await services.Runner.RunAsync(
            new ProcessSpec(Environment.ProcessPath!, ["agent", "--teardown", "--data", agentData]) { Timeout = TimeSpan.FromMinutes(5) }, ct);
        await services.Runner.RunAsync(ProcessSpec.Of("ip", "link", "del", UpLocal.Bridge), ct);
        Console.Out.WriteLine(teardown.Succeeded
            ? $"Removed every VM, gateway and volume vcm made on this machine; {marked} clusters are marked for release."
            : $"Removing what vcm made on this machine failed: {teardown.StandardError.Trim()}");
        return teardown.Succeeded ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static async Task<int> MarkClustersDeletedAsync(StoreOptions store, TimeProvider clock, CancellationToken ct)
    {
        var database = new Database(store);
        await using var db = database.CreateContext();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return await db.Clusters.Where(c => c.ActiveName != null && c.DeletionRequestedMs == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.DeletionRequestedMs, now).SetProperty(c => c.NextReconcileMs, now).SetProperty(c => c.Version, c => c.Version + 1), ct);
    }
}
