using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Nodes;

/// <summary>vcm node console CLUSTER NODE</summary>
public static class NodeConsoleCommand
{
    public static Command Create()
    {
        var cluster = new Argument<string>("cluster") { Description = "The cluster's name." };
        var node = new Argument<string>("node") { Description = "The node: head, node-01 …" };
        var bytes = new Option<int?>("--bytes") { Description = "How much of the end of the log to show (default 16384)." };
        var command = new Command("console", "Show the tail of a node's serial console.") { cluster, node, bytes };
        command.SetAction(async (cli, ct) =>
        {
            var text = await cli.Client().GetConsoleAsync(cli.Get(cluster)!, cli.Get(node)!, cli.Get(bytes) ?? 16384, ct);
            if (cli.Json)
            {
                cli.WriteJson(new { cluster = cli.Get(cluster), node = cli.Get(node), console = text });
            }
            else
            {
                Console.Out.Write(text);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
