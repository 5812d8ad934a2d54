using Vcm.Domain.Clusters;

namespace Vcm.Domain.Series;

/// <summary>A series read and checked: the rule as given, and each occurrence with the spec of its cluster.</summary>
public sealed record SeriesPlan(string Name, string Rule, string? TimeZone, bool AllowPartial, IReadOnlyList<(Occurrence Occurrence, ClusterSpec Spec)> Occurrences);
