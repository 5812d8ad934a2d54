using System.CommandLine;
using Vcm.Api;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Clusters;

/// <summary>vcm cluster extend NAME --end TIME | --by DURATION: a longer window, if the calendar has room (else the latest end that would fit).</summary>
public static class ClusterExtendCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The cluster's name." };
        var end = new Option<string?>("--end") { Description = "The new end, like 2026-12-01T18:00:00Z." };
        var by = new Option<string?>("--by") { Description = "How much longer, like 2h or 1d." };
        var command = new Command("extend", "Extend a Scheduled or running cluster's window, on the same hosts, if the calendar has room.") { name, end, by };
        command.SetAction(async (cli, ct) =>
        {
            var cluster = await cli.Client().ExtendClusterAsync(cli.Get(name)!, new ExtendRequest(cli.Get(end), cli.Get(by)), ct);
            if (cli.Json)
            {
                cli.WriteJson(cluster);
            }
            else
            {
                Console.Out.WriteLine($"cluster {cluster.Name} now ends at {cluster.End:u}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
