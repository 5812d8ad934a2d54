using Vcm.Store.Records;

namespace Vcm.Store.Hosts;

/// <summary>What a join did: the agent's hosts, or — when it could not bind them — every conflict, with nothing written.</summary>
public sealed record HostJoin(IReadOnlyList<HostRecord> Hosts, IReadOnlyList<string> Conflicts);
