using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Clusters;

/// <summary>vcm cluster events NAME</summary>
public static class ClusterEventsCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The cluster's name or id." };
        var command = new Command("events", "What happened to a cluster, oldest first.") { name };
        command.SetAction(async (cli, ct) =>
        {
            var events = await cli.Client().ListEventsAsync(cli.Get(name)!, ct);
            if (cli.Json)
            {
                cli.WriteJson(events);
                return ExitCodes.Ok;
            }

            Table.Write(["time", "type", "reason", "message"], events.Select(e => new[] { e.At.ToString("u"), e.Type, e.Reason, e.Message }));
            return ExitCodes.Ok;
        });
        return command;
    }
}
