using System.CommandLine;
using System.Globalization;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Nodes;

/// <summary>vcm node migrations CLUSTER: the cluster's node migrations, newest first.</summary>
public static class NodeMigrationsCommand
{
    public static Command Create()
    {
        var cluster = new Argument<string>("cluster") { Description = "The cluster's name." };
        var command = new Command("migrations", "A cluster's node migrations, newest first: from, to, state, pause and time.") { cluster };
        command.SetAction(async (cli, ct) =>
        {
            var migrations = await cli.Client().MigrationsAsync(cli.Get(cluster)!, ct);
            if (cli.Json)
            {
                cli.WriteJson(migrations);
                return ExitCodes.Ok;
            }

            Table.Write(["node", "from", "to", "state", "requested", "paused ms", "total s", "error"], migrations.Select(m => new[]
            {
                m.Node, m.From, m.To, m.State, m.Requested.ToString("u", CultureInfo.InvariantCulture),
                m.DowntimeMs?.ToString(CultureInfo.InvariantCulture), m.TotalMs is { } t ? (t / 1000.0).ToString("0.0", CultureInfo.InvariantCulture) : null, m.Error,
            }));
            return ExitCodes.Ok;
        });
        return command;
    }
}
