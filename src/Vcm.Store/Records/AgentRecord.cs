namespace Vcm.Store.Records;

public sealed class AgentRecord
{
    public required string Id { get; set; }

    public required string SiteId { get; set; }

    public required string Url { get; set; }

    /// <summary>The secret the manager presents to the agent, and the agent to the manager.</summary>
    public required string Key { get; set; }

    public long JoinedMs { get; set; }

    public long HeartbeatMs { get; set; }

    public long Version { get; set; }
}
