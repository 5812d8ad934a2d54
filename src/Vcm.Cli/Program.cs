using System.CommandLine;
using Vcm.Cli.Commands.Nodes;
using Vcm.Cli.Infrastructure;

var root = VcmCommandLine.Create(CliServices.Real);
var parse = root.Parse(SshCommand.Extract(args));
if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
{
    var message = parse.Errors[0].Message.Trim();
    Console.Error.WriteLine(message.EndsWith('.') ? message : message + ".");
    return ExitCodes.Usage;
}

// Ctrl-C and SIGTERM cancel the command's token; a command may take its time to stop cleanly (`vcm up --lab`
// releases its clusters and removes its lab), so it gets minutes, not the default two seconds, before it is killed.
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(10) });
