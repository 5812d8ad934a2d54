using Vcm.Drivers.Processes;

namespace Vcm.Cli.Infrastructure;

/// <summary>
/// What the CLI's commands take from outside the command line: the one process runner every program (ip, the agent,
/// ssh, the lab's daemons) is run through, and the clock their deadlines are read from. Program.cs gives the real
/// ones; tests compose the commands with fakes.
/// </summary>
public sealed record CliServices(IProcessRunner Runner, TimeProvider Clock)
{
    public static CliServices Real { get; } = new(ProcessRunner.Instance, TimeProvider.System);
}
