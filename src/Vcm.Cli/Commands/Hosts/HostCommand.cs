using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Hosts;

public static class HostCommand
{
    public static Command Create(CliServices services) => new("host", "The site's hosts.")
    {
        HostListCommand.Create(),
        HostDrainCommand.Create(),
        HostUndrainCommand.Create(),
        HostConsolidateCommand.Create(),
        HostTokenCommand.Create(),
        HostPrepareCommand.Create(services),
        HostDeclareDeadCommand.Create(),
        HostReturnCommand.Create(),
    };
}
