using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Series;

/// <summary>vcm series show NAME</summary>
public static class SeriesShowCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The series' name." };
        var command = new Command("show", "Show a series: its rule, its occurrences (dates, clusters, phases) and those not admitted.") { name };
        command.SetAction(async (cli, ct) =>
        {
            var series = await cli.Client().GetSeriesAsync(cli.Get(name)!, ct);
            if (cli.Json)
            {
                cli.WriteJson(series);
            }
            else
            {
                SeriesPrinter.Write(series);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
