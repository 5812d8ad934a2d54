namespace Vcm.Store.Records;

/// <summary>
/// A recurring reservation: its rule and time zone, the request its occurrences were made from, and the occurrences it
/// could not admit. Its occurrences are cluster rows with <see cref="ClusterRecord.SeriesId"/>.
/// </summary>
public sealed class SeriesRecord
{
    public required string Id { get; set; }

    public required string Name { get; set; }

    /// <summary>The name until the series is deleted, null after, so that the name can be used again.</summary>
    public string? ActiveName { get; set; }

    public required string SiteId { get; set; }

    public string? TenantId { get; set; }

    public string? CreatedBy { get; set; }

    /// <summary>The RFC 5545 recurrence rule, as given.</summary>
    public required string Rule { get; set; }

    /// <summary>The IANA time zone the rule runs in; null: the first start's fixed offset.</summary>
    public string? TimeZone { get; set; }

    /// <summary>The request (JSON, the API's SeriesInput) its occurrences were made from.</summary>
    public required string Request { get; set; }

    /// <summary>The occurrences not admitted (JSON list of <see cref="RefusedOccurrence"/>); [] when all were.</summary>
    public required string Refused { get; set; }

    public long CreatedMs { get; set; }

    public long? DeletedMs { get; set; }

    public long Version { get; set; }
}
