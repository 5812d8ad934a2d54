namespace Vcm.Api;

/// <summary>An occurrence of a series that was not admitted: the local date of its start, its start, the cluster name it would have had, and why.</summary>
public sealed record RefusedOccurrenceView(string Date, DateTimeOffset Start, string Cluster, string Reason);
