namespace Vcm.Domain.Clusters;

public sealed class InvalidPhaseTransitionException(ClusterPhase from, ClusterPhase to)
    : InvalidOperationException($"A cluster cannot go from {from} to {to}.")
{
    public ClusterPhase From { get; } = from;

    public ClusterPhase To { get; } = to;
}
