using System.CommandLine;
using Vcm.Api;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Clusters;

/// <summary>vcm cluster resize NAME --workers N: new workers are placed and built (else the largest size that would fit); a shrink releases the highest-numbered.</summary>
public static class ClusterResizeCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The cluster's name." };
        var workers = new Option<int>("--workers") { Description = "The worker count it should have (the head stays).", Required = true };
        var command = new Command("resize", "Change a Scheduled or running cluster's worker count: new workers are built and joined; a shrink releases the highest-numbered.") { name, workers };
        command.SetAction(async (cli, ct) =>
        {
            var cluster = await cli.Client().ResizeClusterAsync(cli.Get(name)!, new ResizeRequest(cli.Get(workers)), ct);
            if (cli.Json)
            {
                cli.WriteJson(cluster);
            }
            else
            {
                var count = cluster.Spec.Workers;
                Console.Out.WriteLine($"cluster {cluster.Name} is being resized to {count} worker{(count == 1 ? "" : "s")} ({cluster.Phase})");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
