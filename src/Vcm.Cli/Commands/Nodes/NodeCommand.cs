using System.CommandLine;

namespace Vcm.Cli.Commands.Nodes;

public static class NodeCommand
{
    public static Command Create() => new("node", "A cluster's nodes.")
    {
        NodeConsoleCommand.Create(),
        NodeMigrateCommand.Create(),
        NodeMigrationsCommand.Create(),
    };
}
