namespace Vcm.Domain.Clusters;

/// <summary>The one place that says which phase may follow which.</summary>
public static class PhaseTransitions
{
    private static readonly Dictionary<ClusterPhase, ClusterPhase[]> Allowed = new()
    {
        [ClusterPhase.Scheduled] = [ClusterPhase.Provisioning, ClusterPhase.Releasing, ClusterPhase.Rejected],
        [ClusterPhase.Provisioning] = [ClusterPhase.Ready, ClusterPhase.Failed, ClusterPhase.Releasing],
        [ClusterPhase.Ready] = [ClusterPhase.Degraded, ClusterPhase.Releasing],
        [ClusterPhase.Degraded] = [ClusterPhase.Ready, ClusterPhase.Failed, ClusterPhase.Releasing],
        [ClusterPhase.Failed] = [ClusterPhase.Releasing],
        [ClusterPhase.Releasing] = [ClusterPhase.Released],
        [ClusterPhase.Released] = [],
        [ClusterPhase.Rejected] = [],
    };

    public static bool IsAllowed(ClusterPhase from, ClusterPhase to) => Allowed[from].Contains(to);

    public static IReadOnlyList<ClusterPhase> Next(ClusterPhase from) => Allowed[from];

    /// <summary>Throws when <paramref name="to"/> may not follow <paramref name="from"/>.</summary>
    public static void Ensure(ClusterPhase from, ClusterPhase to)
    {
        if (!IsAllowed(from, to))
        {
            throw new InvalidPhaseTransitionException(from, to);
        }
    }

    /// <summary>Final phases: the cluster holds nothing and never changes again.</summary>
    public static bool IsFinal(ClusterPhase phase) => Allowed[phase].Length == 0;

    /// <summary>Phases in which things may exist on hosts.</summary>
    public static bool MayHoldHostResources(ClusterPhase phase) =>
        phase is ClusterPhase.Provisioning or ClusterPhase.Ready or ClusterPhase.Degraded or ClusterPhase.Failed or ClusterPhase.Releasing;
}
