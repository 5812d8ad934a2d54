using System.CommandLine;
using Vcm.Api;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Sites;

/// <summary>vcm site limits [--max-lease D|none] [--max-advance D|none] [--max-extensions N|none]: shows, or (provider) sets, the site's limits on reservations.</summary>
public static class SiteLimitsCommand
{
    public static Command Create()
    {
        var lease = new Option<string?>("--max-lease") { Description = "The longest reservation window, like 7d, or none." };
        var advance = new Option<string?>("--max-advance") { Description = "How far ahead a reservation may start, like 90d, or none." };
        var extensions = new Option<string?>("--max-extensions") { Description = "How many times a cluster may be extended, like 3, or none." };
        var command = new Command("limits", "The site's limits on reservations (the longest lease, how far ahead, how many extensions); with options, set them (provider).")
        {
            lease, advance, extensions,
        };
        command.SetAction(async (cli, ct) =>
        {
            var limits = cli.Get(lease) is null && cli.Get(advance) is null && cli.Get(extensions) is null
                ? await cli.Client().GetSiteLimitsAsync(ct)
                : await cli.Client().SetSiteLimitsAsync(new SiteLimitsRequest(cli.Get(lease), cli.Get(advance), cli.Get(extensions)), ct);
            if (cli.Json)
            {
                cli.WriteJson(limits);
            }
            else
            {
                Console.Out.WriteLine($"longest lease: {limits.MaxLease ?? "no limit"}; reservations start at most {limits.MaxAdvance ?? "any time"} ahead; " +
                    $"extensions per cluster: {limits.MaxExtensions ?? "no limit"}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
