using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Clusters;

/// <summary>vcm cluster list [--all]</summary>
public static class ClusterListCommand
{
    public static Command Create()
    {
        var all = new Option<bool>("--all") { Description = "Include released clusters." };
        var command = new Command("list", "List clusters.") { all };
        command.SetAction(async (cli, ct) =>
        {
            var clusters = await cli.Client().ListClustersAsync(cli.Get(all), ct);
            if (cli.Json)
            {
                cli.WriteJson(clusters);
                return ExitCodes.Ok;
            }

            Table.Write(
                ["name", "phase", "nodes", "start", "end", "subnet"],
                clusters.Select(c => new[] { c.Name, c.Phase, $"{c.NodesReady}/{c.NodesTotal}", c.Start.ToString("u"), c.End.ToString("u"), c.Subnet }));
            return ExitCodes.Ok;
        });
        return command;
    }
}
