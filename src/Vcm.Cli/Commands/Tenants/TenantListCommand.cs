using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Tenants;

/// <summary>vcm tenant list</summary>
public static class TenantListCommand
{
    public static Command Create()
    {
        var command = new Command("list", "The tenants (a tenant's users see their own).");
        command.SetAction(async (cli, ct) =>
        {
            var tenants = await cli.Client().ListTenantsAsync(ct);
            if (cli.Json)
            {
                cli.WriteJson(tenants);
            }
            else
            {
                TenantPrinter.Write(cli, tenants);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
