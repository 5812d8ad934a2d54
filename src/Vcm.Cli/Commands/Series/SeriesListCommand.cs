using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Series;

/// <summary>vcm series list</summary>
public static class SeriesListCommand
{
    public static Command Create()
    {
        var command = new Command("list", "List series.");
        command.SetAction(async (cli, ct) =>
        {
            var series = await cli.Client().ListSeriesAsync(ct);
            if (cli.Json)
            {
                cli.WriteJson(series);
                return ExitCodes.Ok;
            }

            Table.Write(
                ["name", "repeat", "time zone", "occurrences", "live"],
                series.Select(s => new[] { s.Name, s.Repeat, s.TimeZone ?? "(fixed offset)", s.Admitted.ToString(), s.Live.ToString() }));
            return ExitCodes.Ok;
        });
        return command;
    }
}
