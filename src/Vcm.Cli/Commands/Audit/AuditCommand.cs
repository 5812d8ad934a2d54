using System.CommandLine;
using System.Globalization;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Audit;

/// <summary>vcm audit [--tenant T] [--since TIME] [--limit N]</summary>
public static class AuditCommand
{
    public static Command Create()
    {
        var tenant = new Option<string?>("--tenant") { Description = "Only what this tenant's users did." };
        var since = new Option<string?>("--since") { Description = "From this time (2026-12-01T09:00Z) or this long ago (24h, 7d); default 24h." };
        var limit = new Option<int?>("--limit") { Description = "At most this many entries, the newest (default 1000)." };
        var command = new Command("audit", "The audit trail: who did what, to which resource, when, from where, and how it ended (provider; a tenant-admin sees its tenant's).")
        {
            tenant, since, limit,
        };
        command.SetAction(async (cli, ct) =>
        {
            var entries = await cli.Client().ListAuditAsync(cli.Get(tenant), cli.Get(since), cli.Get(limit), ct);
            if (cli.Json)
            {
                cli.WriteJson(entries);
            }
            else
            {
                Table.Write(["time", "actor", "tenant", "action", "resource", "address", "status"], entries.Select(e => new[]
                {
                    e.At.ToString("u", CultureInfo.InvariantCulture), e.Actor, e.Tenant, e.Action, e.Resource, e.Address, e.Status.ToString(CultureInfo.InvariantCulture),
                }));
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
