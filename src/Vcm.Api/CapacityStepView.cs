namespace Vcm.Api;

/// <summary>
/// What stays free at the site for the whole of one step; <see cref="Nodes"/>: how many nodes of the asked shape fit,
/// each on one host; <see cref="Quota"/>: the caller's tenant's quota headroom through the step.
/// </summary>
public sealed record CapacityStepView(DateTimeOffset Start, DateTimeOffset End, long Cpus, string Memory, string Disk, long? Nodes, QuotaHeadroomView? Quota = null);
