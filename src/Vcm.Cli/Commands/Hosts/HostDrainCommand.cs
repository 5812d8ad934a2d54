using System.CommandLine;
using Vcm.Api;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Hosts;

/// <summary>
/// vcm host drain HOST [--wait] [--timeout S]: the host takes no new work, its future reservations are re-planned
/// elsewhere where they fit, its running nodes are moved away; with --wait, until it holds no running node.
/// </summary>
public static class HostDrainCommand
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public static Command Create()
    {
        var host = new Argument<string>("host") { Description = "The host's name." };
        var wait = new Option<bool>("--wait") { Description = "Wait until the host holds no running node." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait with --wait (default 1800).", DefaultValueFactory = _ => 1800 };
        var command = new Command("drain", "Drain a host: no new placements on it, future reservations re-planned onto other hosts, running nodes live-migrated away a few at a time.")
        {
            host, wait, timeout,
        };
        command.SetAction(async (cli, ct) =>
        {
            var client = cli.Client();
            var name = cli.Get(host)!;
            var drained = await client.DrainHostAsync(name, ct);
            if (!cli.Json)
            {
                foreach (var line in Describe(drained))
                {
                    Console.Out.WriteLine(line);
                }
            }

            if (cli.Get(wait))
            {
                var progress = await WaitAsync(client, name, TimeSpan.FromSeconds(cli.Get(timeout)), cli.Json, ct);
                drained = drained with { Progress = progress };
                if (!cli.Json)
                {
                    Console.Out.WriteLine($"host {name} holds no running node" + Fixed(progress));
                }
            }

            if (cli.Json)
            {
                cli.WriteJson(drained);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static IEnumerable<string> Describe(DrainView drained)
    {
        yield return $"host {drained.Host} is draining: {Left(drained.Progress)}" + Fixed(drained.Progress);
        foreach (var r in drained.Reservations)
        {
            yield return r.Moved ? $"reservation {r.Cluster} re-planned: {r.Detail}" : $"reservation {r.Cluster} stays on {drained.Host}: {r.Detail}";
        }
    }

    public static string Left(HostDrainView progress) =>
        $"{progress.NodesLeft} running node{(progress.NodesLeft == 1 ? "" : "s")} left, {progress.Migrating} moving";

    private static string Fixed(HostDrainView progress) =>
        progress.Fixed.Count == 0 ? "" : $"; it still holds {string.Join(", ", progress.Fixed)}";

    private static async Task<HostDrainView> WaitAsync(VcmClient client, string name, TimeSpan timeout, bool quiet, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var last = "";
        try
        {
            while (true)
            {
                var view = (await client.ListHostsAsync(limit.Token)).FirstOrDefault(h => h.Name == name)
                    ?? throw new CliException($"Host {name} is gone from the site.", ExitCodes.NotFound);
                if (view.Drain is not { } progress)
                {
                    throw new CliException($"Host {name} is {view.State}, no longer draining.", ExitCodes.WaitFailed);
                }

                if (progress.NodesLeft == 0)
                {
                    return progress;
                }

                if (!quiet && Left(progress) is var now && now != last)
                {
                    Console.Error.WriteLine($"host {name}: {now}");
                    last = now;
                }

                await Task.Delay(Poll, limit.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"Host {name} still held running nodes after {timeout.TotalSeconds:0} s ({last}).", ExitCodes.WaitFailed);
        }
    }
}
