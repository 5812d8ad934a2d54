namespace Vcm.Api;

/// <summary>
/// What declaring a host dead did: each piece of a cluster rebuilt on another host ("CLUSTER/node-02 → h3") and each
/// that waits for room, with why (it is tried again as capacity frees).
/// </summary>
public sealed record HostRecoveryView(string Host, IReadOnlyList<string> Rebuilt, IReadOnlyList<string> Waiting);
