using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Tenants;

/// <summary>vcm tenant delete NAME</summary>
public static class TenantDeleteCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The tenant." };
        var command = new Command("delete", "Remove a tenant with its users, their keys and tokens; refused while it owns a live cluster (provider).") { name };
        command.SetAction(async (cli, ct) =>
        {
            var tenant = cli.Get(name)!;
            await cli.Client().DeleteTenantAsync(tenant, ct);
            if (cli.Json)
            {
                cli.WriteJson(new { tenant, deleted = true });
            }
            else
            {
                Console.Out.WriteLine($"tenant {tenant} is removed, with its users");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
