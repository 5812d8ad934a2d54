namespace Vcm.Api;

/// <summary>
/// A draining host's progress: the running nodes still on it, how many migrations from it are under way, and what it
/// holds that does not move live (gateways, shared volumes, future reservations left on it).
/// </summary>
public sealed record HostDrainView(int NodesLeft, int Migrating, IReadOnlyList<string> Fixed);
