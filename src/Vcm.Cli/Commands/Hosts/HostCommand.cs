using System.CommandLine;

namespace Vcm.Cli.Commands.Hosts;

public static class HostCommand
{
    public static Command Create() => new("host", "The site's hosts.")
    {
        HostListCommand.Create(),
        HostTokenCommand.Create(),
        HostPrepareCommand.Create(),
    };
}
