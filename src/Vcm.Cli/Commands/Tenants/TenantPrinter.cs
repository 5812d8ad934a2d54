using Vcm.Api;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Tenants;

/// <summary>Tenants as tables.</summary>
internal static class TenantPrinter
{
    /// <summary>One row a tenant; each quota as held/limit ("-" for no limit): held is the busiest moment from now on, node-hours this month's.</summary>
    public static void Write(Invocation cli, IReadOnlyList<TenantView> tenants)
    {
        Table.Write(["tenant", "users", "live clusters", "nodes", "vcpus", "memory", "shared", "node-hours (month)"], tenants.Select(t => new[]
        {
            t.Name,
            Text(t.Users),
            Text(t.LiveClusters),
            $"{Text(t.Usage.Nodes)}/{Limit(t.Quota.Nodes)}",
            $"{Text(t.Usage.Vcpus)}/{Limit(t.Quota.Vcpus)}",
            $"{t.Usage.Memory}/{t.Quota.Memory ?? "-"}",
            $"{t.Usage.Shared}/{t.Quota.Shared ?? "-"}",
            $"{Text(t.Usage.NodeHoursThisMonth)}/{Limit(t.Quota.NodeHours)}",
        }));
    }

    private static string Text(long n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Limit(long? n) => n is { } v ? Text(v) : "-";

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
