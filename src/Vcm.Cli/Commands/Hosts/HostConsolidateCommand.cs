using System.CommandLine;
using Vcm.Api;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Hosts;

/// <summary>vcm host consolidate [--dry-run]: pack running nodes onto fewer hosts and say which hosts it empties.</summary>
public static class HostConsolidateCommand
{
    public static Command Create()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Only show the plan; move nothing." };
        var command = new Command("consolidate", "Pack running nodes onto fewer hosts (never breaking a reservation, future ones included); the hosts emptied are drained, for power saving.")
        {
            dryRun,
        };
        command.SetAction(async (cli, ct) =>
        {
            var plan = await cli.Client().ConsolidateAsync(cli.Get(dryRun), ct);
            if (cli.Json)
            {
                cli.WriteJson(plan);
                return ExitCodes.Ok;
            }

            foreach (var line in Describe(plan))
            {
                Console.Out.WriteLine(line);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static IEnumerable<string> Describe(ConsolidationView plan)
    {
        var verb = plan.DryRun ? "would empty" : "empties (drained)";
        yield return plan.Emptied.Count == 0
            ? "no host can be emptied"
            : $"{verb} {plan.Emptied.Count} host{(plan.Emptied.Count == 1 ? "" : "s")}: {string.Join(", ", plan.Emptied)}";
        foreach (var m in plan.Moves)
        {
            yield return $"  {m.Cluster}/{m.Node}: {m.From} -> {m.To}";
        }

        foreach (var k in plan.Kept)
        {
            yield return $"keeps {k.Host}: {k.Reason}";
        }
    }
}
