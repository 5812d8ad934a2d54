using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Tenants;

/// <summary>vcm tenant set-quota NAME QUOTA</summary>
public static class TenantSetQuotaCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The tenant." };
        var quota = new Argument<string>("quota") { Description = "The limits to change, like nodes=128,memory=1T (none lifts one: node-hours=none)." };
        var command = new Command("set-quota", "Change a tenant's quota; the limits not named stay (provider).") { name, quota };
        command.SetAction(async (cli, ct) => TenantPrinter.Print(cli, await cli.Client().SetQuotaAsync(cli.Get(name)!, cli.Get(quota)!, ct)));
        return command;
    }
}
