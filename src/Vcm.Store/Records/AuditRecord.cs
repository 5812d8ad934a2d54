namespace Vcm.Store.Records;

/// <summary>One entry of the audit trail: who did what to which resource, when, from where, and how it ended.</summary>
public sealed class AuditRecord
{
    public required string Id { get; set; }

    public long AtMs { get; set; }

    /// <summary>A user's name, an agent's id, a peer site's name, or "-" for a caller without a valid token.</summary>
    public required string Actor { get; set; }

    /// <summary>user, agent, peer or anonymous.</summary>
    public required string ActorKind { get; set; }

    /// <summary>The acting user's tenant (null for a provider and for agents and peers).</summary>
    public string? TenantId { get; set; }

    /// <summary>"METHOD /route/pattern", or a named action (sign-in).</summary>
    public required string Action { get; set; }

    /// <summary>The resource's path (from the route, or the Location of what was created).</summary>
    public string? Resource { get; set; }

    public string? Address { get; set; }

    /// <summary>The HTTP status the call ended with.</summary>
    public int Status { get; set; }

    public string? Detail { get; set; }
}
