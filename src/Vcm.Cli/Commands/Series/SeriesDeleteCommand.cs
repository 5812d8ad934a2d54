using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Series;

/// <summary>vcm series delete NAME [--occurrence DATE]</summary>
public static class SeriesDeleteCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The series' name." };
        var occurrence = new Option<string?>("--occurrence") { Description = "Only the occurrence on this local date, like 2027-04-13." };
        var command = new Command("delete", "Delete the rest of a series (every occurrence not yet ended is released), or one occurrence.") { name, occurrence };
        command.SetAction(async (cli, ct) =>
        {
            var series = await cli.Client().DeleteSeriesAsync(cli.Get(name)!, cli.Get(occurrence), ct);
            if (cli.Json)
            {
                cli.WriteJson(series);
            }
            else
            {
                Console.Out.WriteLine(cli.Get(occurrence) is { } date
                    ? $"Releasing the occurrence of series {series.Name} on {date}."
                    : $"Deleted series {series.Name}; releasing its {series.Live} occurrences not yet ended.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
