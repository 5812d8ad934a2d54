namespace Vcm.Cli.Infrastructure;

/// <summary>Prints rows as aligned columns under upper-case headers.</summary>
public static class Table
{
    public static void Write(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows, TextWriter? writer = null)
    {
        writer ??= Console.Out;
        var all = rows.Select(r => r.Select(c => c ?? "-").ToList()).ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, all.Select(r => i < r.Count ? r[i].Length : 0).DefaultIfEmpty(0).Max())).ToList();
        writer.WriteLine(Line(headers.Select(h => h.ToUpperInvariant()).ToList(), widths));
        foreach (var row in all)
        {
            writer.WriteLine(Line(row, widths));
        }
    }

    private static string Line(IReadOnlyList<string> cells, IReadOnlyList<int> widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Count - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
}
