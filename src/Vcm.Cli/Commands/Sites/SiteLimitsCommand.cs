using System.CommandLine;
using Vcm.Api;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Sites;

/// <summary>
/// vcm site limits [--max-lease D|none] [--max-advance D|none] [--max-extensions N|none] [--max-occurrences N]:
/// shows, or (provider) sets, the site's limits on reservations.
/// </summary>
public static class SiteLimitsCommand
{
    public static Command Create()
    {
        var lease = new Option<string?>("--max-lease") { Description = "The longest reservation window, like 7d, or none." };
        var advance = new Option<string?>("--max-advance") { Description = "How far ahead a reservation may start, like 90d, or none." };
        var extensions = new Option<string?>("--max-extensions") { Description = "How many times a cluster may be extended, like 3, or none." };
        var occurrences = new Option<int?>("--max-occurrences") { Description = "The most occurrences one series (vcm cluster create --repeat) may have, 1 to 1000." };
        var command = new Command("limits", "The site's limits on reservations (the longest lease, how far ahead, how many extensions, the most occurrences of a series); with options, set them (provider).")
        {
            lease, advance, extensions, occurrences,
        };
        command.SetAction(async (cli, ct) =>
        {
            var limits = cli.Get(lease) is null && cli.Get(advance) is null && cli.Get(extensions) is null && cli.Get(occurrences) is null
                ? await cli.Client().GetSiteLimitsAsync(ct)
                : await cli.Client().SetSiteLimitsAsync(new SiteLimitsRequest(cli.Get(lease), cli.Get(advance), cli.Get(occurrences), cli.Get(extensions)), ct);
            if (cli.Json)
            {
                cli.WriteJson(limits);
            }
            else
            {
                Console.Out.WriteLine($"longest lease: {limits.MaxLease ?? "no limit"}; reservations start at most {limits.MaxAdvance ?? "any time"} ahead; " +
                    $"extensions per cluster: {limits.MaxExtensions ?? "no limit"}; a series has at most {limits.MaxOccurrences} occurrences");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
