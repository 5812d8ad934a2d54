namespace Vcm.Api;

/// <summary>An RFC 9457 problem: a title, a detail sentence, and every field problem found.</summary>
public sealed record ProblemView
{
    public string? Type { get; init; }

    public string? Title { get; init; }

    public int? Status { get; init; }

    public string? Detail { get; init; }

    public string? Instance { get; init; }

    public IReadOnlyList<FieldProblemView>? Errors { get; init; }

    /// <summary>With 409 from admission: the earliest start at which the same request would fit.</summary>
    public DateTimeOffset? EarliestStart { get; init; }

    /// <summary>With 409 from an extension: the latest end the calendar has room for (the current end when it has none).</summary>
    public DateTimeOffset? LatestEnd { get; init; }

    /// <summary>With 409 from growing a cluster: the largest worker count the calendar has room for.</summary>
    public int? LargestWorkers { get; init; }

    /// <summary>For a request over its tenant's quota: the tenant.</summary>
    public string? Tenant { get; init; }

    /// <summary>For a request over its tenant's quota: each quota exceeded.</summary>
    public IReadOnlyList<QuotaExcessView>? Quotas { get; init; }

    /// <summary>With 409 for a series: each occurrence that does not fit, with its date and why.</summary>
    public IReadOnlyList<RefusedOccurrenceView>? Refused { get; init; }
}
