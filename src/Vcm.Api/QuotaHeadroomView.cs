namespace Vcm.Api;

/// <summary>
/// What the caller's tenant may still reserve through a whole step (null: no limit): nodes, vCPUs, memory and shared
/// size at once, node-hours left in the tightest month the step touches; <see cref="NodesOfShape"/>: how many nodes
/// of the asked shape the quota allows.
/// </summary>
public sealed record QuotaHeadroomView(long? Nodes, long? Vcpus, string? Memory, string? Shared, long? NodeHours, long? NodesOfShape);
