namespace Vcm.Domain.Scheduling;

/// <summary>
/// What is free at a site through a whole step of time: capacity less the peak use of each host during the step, summed
/// over hosts; <see cref="Nodes"/> is how many nodes of a shape fit in it (each on one host), when a shape was asked.
/// </summary>
public sealed record CapacityStep(DateTimeOffset Start, DateTimeOffset End, Resources Free, long? Nodes);
