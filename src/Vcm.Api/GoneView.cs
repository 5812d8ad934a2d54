namespace Vcm.Api;

/// <summary>A watch's <c>event: gone</c>: the cluster (by name) was released or removed.</summary>
public sealed record GoneView(string Name);
