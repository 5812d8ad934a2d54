using System.CommandLine;

namespace Vcm.Cli.Commands.Series;

/// <summary>vcm series list | show NAME | delete NAME [--occurrence DATE]: recurring reservations (made by vcm cluster create --repeat).</summary>
public static class SeriesCommand
{
    public static Command Create() => new("series", "Inspect and delete recurring reservations (made with vcm cluster create --repeat).")
    {
        SeriesListCommand.Create(),
        SeriesShowCommand.Create(),
        SeriesDeleteCommand.Create(),
    };
}
