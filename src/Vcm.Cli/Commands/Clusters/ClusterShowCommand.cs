using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Clusters;

/// <summary>vcm cluster show NAME</summary>
public static class ClusterShowCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The cluster's name or id." };
        var command = new Command("show", "Show a cluster and its nodes.") { name };
        command.SetAction(async (cli, ct) =>
        {
            var cluster = await cli.Client().GetClusterAsync(cli.Get(name)!, nodes: true, ct);
            if (cli.Json)
            {
                cli.WriteJson(cluster);
                return ExitCodes.Ok;
            }

            ClusterPrinter.Summary(cluster);
            if (cluster.Nodes is { Count: > 0 } nodes)
            {
                Console.Out.WriteLine();
                ClusterPrinter.Nodes(nodes);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
