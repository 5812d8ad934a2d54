using System.CommandLine;
using Vcm.Cli.Infrastructure;
using Vcm.Domain.Clusters;

namespace Vcm.Cli.Commands.Clusters;

/// <summary>vcm cluster delete NAME [--wait]</summary>
public static class ClusterDeleteCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The cluster's name or id." };
        var wait = new Option<bool>("--wait") { Description = "Return when everything is released." };
        var timeout = new Option<string?>("--timeout") { Description = "How long --wait waits at most (default 30m)." };
        var command = new Command("delete", "Release a cluster now.") { name, wait, timeout };
        command.SetAction(async (cli, ct) =>
        {
            var client = cli.Client();
            var cluster = await client.DeleteClusterAsync(cli.Get(name)!, ct);
            if (cli.Get(wait))
            {
                cluster = await ClusterWaiter.WaitForAsync(client, cluster.Id, nameof(ClusterPhase.Released), ClusterCreateCommand.ParseTimeout(cli.Get(timeout)), ct);
            }

            if (cli.Json)
            {
                cli.WriteJson(cluster);
            }
            else
            {
                Console.Out.WriteLine(cluster.Phase == nameof(ClusterPhase.Released)
                    ? $"cluster {cluster.Name} is released"
                    : $"cluster {cluster.Name} is being released ({cluster.Phase})");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
