namespace Vcm.Store.Records;

public sealed class NodeRecord
{
    public required string Id { get; set; }

    public required string ClusterId { get; set; }

    public required string Name { get; set; }

    public required string Role { get; set; }

    public int Idx { get; set; }

    public required string HostId { get; set; }

    public required string Site { get; set; }

    public required string Mac { get; set; }

    public required string Ip { get; set; }

    /// <summary>Pending, Running, Stopped, Deleted.</summary>
    public required string State { get; set; }

    public string? Detail { get; set; }

    public long Version { get; set; }
}
