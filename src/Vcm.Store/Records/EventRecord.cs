namespace Vcm.Store.Records;

public sealed class EventRecord
{
    public required string Id { get; set; }

    public required string ClusterId { get; set; }

    public long AtMs { get; set; }

    /// <summary>Normal or Warning.</summary>
    public required string Type { get; set; }

    public required string Reason { get; set; }

    public required string Message { get; set; }

    /// <summary>Which manager wrote it.</summary>
    public required string Source { get; set; }
}
