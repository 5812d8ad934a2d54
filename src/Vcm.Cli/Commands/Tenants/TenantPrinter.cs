using Vcm.Api;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Tenants;

/// <summary>Tenants as tables.</summary>
internal static class TenantPrinter
{
    public static void Write(Invocation cli, IReadOnlyList<TenantView> tenants)
    {
        Table.Write(["tenant", "users", "live clusters", "quota"], tenants.Select(t => new[]
        {
            t.Name,
            t.Users.ToString(System.Globalization.CultureInfo.InvariantCulture),
            t.LiveClusters.ToString(System.Globalization.CultureInfo.InvariantCulture),
            t.Quota.Text,
        }));
    }

    public static int Print(Invocation cli, TenantView tenant)
    {
        if (cli.Json)
        {
            cli.WriteJson(tenant);
        }
        else
        {
            Write(cli, [tenant]);
        }

        return ExitCodes.Ok;
    }
}
