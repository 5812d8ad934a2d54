namespace Vcm.Api;

/// <summary>
/// The site's free capacity over time, step by step (GET /api/v1/capacity); <see cref="Shape"/> is the node shape
/// counted, if one was asked; <see cref="Tenant"/> the caller's tenant, whose quota headroom each step shows;
/// <see cref="Peers"/> the peers' capacity, when asked for.
/// </summary>
public sealed record CapacityTimelineView(
    string Site, DateTimeOffset From, DateTimeOffset To, string Step, string? Shape, IReadOnlyList<CapacityStepView> Steps,
    string? Tenant = null, IReadOnlyList<PeerCapacityView>? Peers = null);
