namespace Vcm.Store.Records;

public sealed class AgentRecord
{
    public required string Id { get; set; }

    public required string SiteId { get; set; }

    public required string Url { get; set; }

    /// <summary>The secret the manager presents to the agent, and the agent to the manager (encrypted at rest).</summary>
    public required string Key { get; set; }

    /// <summary>SHA-256 of <see cref="Key"/> (hex), by which a presented key finds its agent.</summary>
    public string? KeyHash { get; set; }

    public long JoinedMs { get; set; }

    public long HeartbeatMs { get; set; }

    public long Version { get; set; }
}
