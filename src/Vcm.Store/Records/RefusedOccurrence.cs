using System.Text.Json;

namespace Vcm.Store.Records;

/// <summary>An occurrence of a series that was not admitted: its local date, its start, the name it would have had, and why.</summary>
public sealed record RefusedOccurrence(string Date, DateTimeOffset Start, string Name, string Reason)
{
    /// <summary>The <see cref="SeriesRecord.Refused"/> column's text.</summary>
    public static string Serialize(IReadOnlyList<RefusedOccurrence> refused) => JsonSerializer.Serialize(refused, JsonSerializerOptions.Web);

    public static IReadOnlyList<RefusedOccurrence> Parse(string text) =>
        JsonSerializer.Deserialize<List<RefusedOccurrence>>(text, JsonSerializerOptions.Web) ?? [];
}
