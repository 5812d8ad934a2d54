using Vcm.Api;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Series;

/// <summary>A series as people read it: its rule, then its occurrences and those it could not admit.</summary>
public static class SeriesPrinter
{
    public static void Write(SeriesView series)
    {
        Console.Out.WriteLine($"series    {series.Name}");
        Console.Out.WriteLine($"repeat    {series.Repeat}{(series.TimeZone is { } zone ? $" in {zone}" : "")}");
        Console.Out.WriteLine($"admitted  {series.Admitted} occurrences ({series.Live} live)");
        if (series.Occurrences is { Count: > 0 } occurrences)
        {
            Console.Out.WriteLine();
            Table.Write(["date", "cluster", "phase", "start", "end"], occurrences.Select(o => new[] { o.Date, o.Cluster, o.Phase, o.Start.ToString("u"), o.End.ToString("u") }));
        }

        if (series.Refused is { Count: > 0 } refused)
        {
            Console.Out.WriteLine();
            Console.Out.WriteLine($"not admitted ({refused.Count}):");
            Table.Write(["date", "cluster", "reason"], refused.Select(o => new[] { o.Date, o.Cluster, o.Reason }));
        }
    }
}
