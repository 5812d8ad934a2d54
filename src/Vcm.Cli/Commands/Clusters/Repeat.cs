using System.CommandLine;
using Vcm.Api;
using Vcm.Cli.Commands.Series;
using Vcm.Cli.Infrastructure;
using Vcm.Domain.Series;

namespace Vcm.Cli.Commands.Clusters;

/// <summary>
/// <c>--repeat RULE [--time-zone ZONE] [--allow-partial]</c>: the create becomes a series (POST /api/v1/series), one
/// cluster per start of the RFC 5545 rule, named NAME-YYYYMMDD.
/// </summary>
public static class Repeat
{
    public static Option<string?> RuleOption() => new("--repeat")
    {
        Description = "An RFC 5545 rule, like \"FREQ=WEEKLY;BYDAY=TU;COUNT=15\": a cluster (NAME-YYYYMMDD) on every start, admitted as a whole (see vcm series).",
    };

    public static Option<string?> TimeZoneOption() => new("--time-zone")
    {
        Description = "With --repeat: the IANA zone (like Europe/Berlin) whose local time the starts keep across DST; --start may then omit its offset.",
    };

    public static Option<bool> AllowPartialOption() => new("--allow-partial")
    {
        Description = "With --repeat: admit the occurrences that fit and list those that do not, instead of refusing the series.",
    };

    /// <summary>Whether the request is a series; the options that only go with --repeat (or not with it) refused as usage errors.</summary>
    public static bool Check(SeriesInput request, bool wait, string? idempotencyKey)
    {
        if (request.Repeat is null)
        {
            return (request.TimeZone, request.AllowPartial) is (null, null)
                ? false
                : throw new CliException("--time-zone and --allow-partial go with --repeat.", ExitCodes.Usage);
        }

        return wait || idempotencyKey is not null
            ? throw new CliException("--wait and --idempotency-key are for a single cluster, not a series made with --repeat.", ExitCodes.Usage)
            : true;
    }

    public static async Task<int> CreateAsync(Invocation cli, VcmClient client, SeriesInput request, CancellationToken cancellationToken)
    {
        var created = await client.CreateSeriesAsync(request, cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(created);
        }
        else
        {
            SeriesPrinter.Write(created);
        }

        return ExitCodes.Ok;
    }
}
