namespace Vcm.Manager.Hosts;

/// <summary>
/// What one recovery pass over a lost host did: each piece of a cluster rebuilt elsewhere ("CLUSTER/node-02 → h3",
/// "CLUSTER/gateway → h1") and each that waits for room, with why.
/// </summary>
public sealed record RecoveryReport(string Host, IReadOnlyList<string> Rebuilt, IReadOnlyList<string> Waiting);
