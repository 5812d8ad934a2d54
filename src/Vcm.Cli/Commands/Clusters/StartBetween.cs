using System.CommandLine;
using Vcm.Api;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Clusters;

/// <summary>
/// <c>--start-between A B</c>: a flexible start, sent as the request's <c>start</c> A and <c>latestStart</c> B; the
/// manager starts the cluster at the earliest time in [A, B] at which its whole window fits, and the CLI says which.
/// </summary>
public static class StartBetween
{
    public static Option<string[]> Option() => new("--start-between")
    {
        Description = "A B: start at the earliest time from A to B at which the whole window (--for) fits at this site, like --start-between 2026-12-01T09:00:00Z 2026-12-01T18:00:00Z.",
        Arity = new ArgumentArity(2, 2),
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>The request's start and latest start from --start and --start-between (which exclude each other).</summary>
    public static (string? Start, string? LatestStart) Window(string? start, string[]? between)
    {
        if (between is not { Length: 2 })
        {
            return (start, null);
        }

        return start is null
            ? (between[0], between[1])
            : throw new CliException("Give --start or --start-between, not both.", ExitCodes.Usage);
    }

    /// <summary>The line that says which start the manager chose.</summary>
    public static string Chosen(ClusterView created, string[] between) =>
        $"start     {created.Start:u}, the earliest from {between[0]} to {between[1]} at which the whole window fits";
}
