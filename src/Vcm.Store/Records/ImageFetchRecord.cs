namespace Vcm.Store.Records;

/// <summary>An image file an agent fetched from the site's image store: how many bytes, how long it took.</summary>
public sealed class ImageFetchRecord
{
    public required string Id { get; set; }

    public required string AgentId { get; set; }

    public required string File { get; set; }

    public long Bytes { get; set; }

    public long DurationMs { get; set; }

    public long AtMs { get; set; }
}
