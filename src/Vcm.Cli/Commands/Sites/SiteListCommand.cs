using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Sites;

/// <summary>vcm site list</summary>
public static class SiteListCommand
{
    public static Command Create()
    {
        var command = new Command("list", "This site and its peers.");
        command.SetAction(async (cli, ct) =>
        {
            var sites = await cli.Client().ListSitesAsync(ct);
            if (cli.Json)
            {
                cli.WriteJson(sites);
                return ExitCodes.Ok;
            }

            Table.Write(
                ["site", "local", "url", "hosts", "vni range"],
                sites.Select(s => new[] { s.Name, s.Local ? "yes" : "no", s.Url ?? "-", s.Hosts.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{s.VniFirst}-{s.VniLast}" }));
            return ExitCodes.Ok;
        });
        return command;
    }
}
