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
            // the manager may not know its own public URL; the one this command reached it at is this site's URL
            var sites = (await cli.Client().ListSitesAsync(ct))
                .Select(s => s.Local && s.Url is null ? s with { Url = cli.ServerUrl } : s).ToList();
            if (cli.Json)
            {
                cli.WriteJson(sites);
                return ExitCodes.Ok;
            }

            Table.Write(
                ["site", "url", "local", "hosts", "vni range"],
                sites.Select(s => new[] { s.Name, s.Url ?? "-", s.Local ? "yes" : "no", s.Hosts.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Local ? $"{s.VniFirst}-{s.VniLast}" : "-" }));
            return ExitCodes.Ok;
        });
        return command;
    }
}
