namespace Vcm.Api;

/// <summary>An admitted occurrence of a series: the local date of its start, its window, and its cluster with its phase.</summary>
public sealed record SeriesOccurrenceView(string Date, DateTimeOffset Start, DateTimeOffset End, string Cluster, string Phase);
