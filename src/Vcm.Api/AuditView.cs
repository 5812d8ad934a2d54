namespace Vcm.Api;

/// <summary>One entry of the audit trail: who (user, agent, peer, or "-" with no valid token), what, which resource, when, from where, how it ended.</summary>
public sealed record AuditView(DateTimeOffset At, string Actor, string ActorKind, string? Tenant, string Action, string? Resource, string? Address, int Status, string? Detail);
