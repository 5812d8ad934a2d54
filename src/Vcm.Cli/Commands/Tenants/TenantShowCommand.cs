using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Tenants;

/// <summary>vcm tenant show NAME</summary>
public static class TenantShowCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The tenant." };
        var command = new Command("show", "One tenant: its users, live clusters and quota.") { name };
        command.SetAction(async (cli, ct) => TenantPrinter.Print(cli, await cli.Client().GetTenantAsync(cli.Get(name)!, ct)));
        return command;
    }
}
