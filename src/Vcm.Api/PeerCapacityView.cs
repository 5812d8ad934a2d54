namespace Vcm.Api;

/// <summary>A peer site's free capacity over the same steps, or why it could not be had (<see cref="Error"/>).</summary>
public sealed record PeerCapacityView(string Site, CapacityTimelineView? Capacity, string? Error);
