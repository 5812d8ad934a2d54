using System.CommandLine;
using Vcm.Api;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Nodes;

/// <summary>
/// vcm node migrate CLUSTER NODE --to HOST: live-migrates a running node to another host of its site and, unless
/// --no-wait, follows it to its end: the pause and the whole time QEMU measured, or why it failed (exit code 7).
/// </summary>
public static class NodeMigrateCommand
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(300);

    public static Command Create()
    {
        var cluster = new Argument<string>("cluster") { Description = "The cluster's name." };
        var node = new Argument<string>("node") { Description = "The node: head, node-01 …" };
        var to = new Option<string>("--to") { Description = "Where to move it: a host of the cluster's site (HOST), or another site the cluster spans (SITE, or SITE/HOST), over the cluster's VPN.", Required = true };
        var noWait = new Option<bool>("--no-wait") { Description = "Return once the migration is admitted." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for the end (default 900).", DefaultValueFactory = _ => 900 };
        var command = new Command("migrate", "Live-migrate a running node to another host of its site, or to another site the cluster spans: it keeps its address, MAC and running processes.")
        {
            cluster, node, to, noWait, timeout,
        };
        command.SetAction(async (cli, ct) =>
        {
            var client = cli.Client();
            var name = cli.Get(cluster)!;
            var migration = await client.MigrateNodeAsync(name, cli.Get(node)!, new MigrateRequest(cli.Get(to)), ct);
            if (!cli.Get(noWait))
            {
                migration = await WaitAsync(client, name, migration, TimeSpan.FromSeconds(cli.Get(timeout)), ct);
            }

            if (cli.Json)
            {
                cli.WriteJson(migration);
            }
            else
            {
                Console.Out.WriteLine(Describe(migration));
            }

            return migration.State == "failed" ? ExitCodes.WaitFailed : ExitCodes.Ok;
        });
        return command;
    }

    public static string Describe(MigrationView m) => m.State switch
    {
        "completed" or "moved" => $"node {m.Node} of {m.Cluster} moved from {m.From} to {m.To}: paused {m.DowntimeMs} ms, {m.TotalMs / 1000.0:0.0} s in all",
        "failed" or "aborting" => $"node {m.Node} of {m.Cluster} stays on {m.From}: {m.Error}",
        _ => $"node {m.Node} of {m.Cluster} is to move from {m.From} to {m.To} (migration {m.Id}, {m.State})",
    };

    private static async Task<MigrationView> WaitAsync(VcmClient client, string cluster, MigrationView migration, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            while (migration.State is not ("completed" or "failed"))
            {
                await Task.Delay(Poll, limit.Token);
                migration = await client.MigrationAsync(cluster, migration.Id, limit.Token);
            }

            return migration;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"Node {migration.Node} of {cluster} was still moving ({migration.State}) after {timeout.TotalSeconds:0} s.", ExitCodes.WaitFailed);
        }
    }
}
