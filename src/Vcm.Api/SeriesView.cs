namespace Vcm.Api;

/// <summary>
/// A recurring reservation: its rule and time zone, and its occurrences — the clusters admitted (with their dates and
/// phases) and those refused (with why). <see cref="Occurrences"/> and <see cref="Refused"/> are left out of lists.
/// </summary>
public sealed record SeriesView(
    string Name,
    string Repeat,
    string? TimeZone,
    DateTimeOffset CreatedAt,
    int Admitted,
    int Live,
    IReadOnlyList<SeriesOccurrenceView>? Occurrences,
    IReadOnlyList<RefusedOccurrenceView>? Refused);
