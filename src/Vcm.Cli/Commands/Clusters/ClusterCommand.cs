using System.CommandLine;

namespace Vcm.Cli.Commands.Clusters;

public static class ClusterCommand
{
    public static Command Create() => new("cluster", "Reserve, inspect and release virtual clusters.")
    {
        ClusterCreateCommand.Create(),
        ClusterListCommand.Create(),
        ClusterShowCommand.Create(),
        ClusterDeleteCommand.Create(),
        ClusterExtendCommand.Create(),
        ClusterResizeCommand.Create(),
        ClusterEventsCommand.Create(),
    };
}
