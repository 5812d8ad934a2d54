using Vcm.Domain.Clusters;
using Vcm.Domain.Events;
using Vcm.Store.Clusters;
using Vcm.Store.Records;

namespace Vcm.Manager.Controllers;

/// <summary>
/// One reconcile's view of one cluster: its session (the only writer of the pass — see <see cref="ClusterSession"/>),
/// the time of the pass, and the decisions phase methods make on it: phase moves, events, node observations, failures.
/// </summary>
public sealed class ClusterScope(ClusterSession session, DateTimeOffset now, string source)
{
    public ClusterSession Session { get; } = session;

    public ClusterRecord Cluster => Session.Cluster;

    public ClusterSpec Spec => Cluster.Spec;

    public DateTimeOffset Now { get; } = now;

    public long NowMs => Now.ToUnixTimeMilliseconds();

    public ClusterPhase Phase => Cluster.Phase;

    public DateTimeOffset End => DateTimeOffset.FromUnixTimeMilliseconds(Cluster.EndMs);

    /// <summary>This pass recorded a failed attempt (<see cref="Fail"/>).</summary>
    public bool Failed { get; private set; }

    public void Event(EventType type, EventReason reason, string message) =>
        Session.Add(EventRecord.Create(Cluster.Id, Now, type, reason, message, source));

    /// <summary>Moves the cluster to <paramref name="to"/> (only along an allowed transition) and records why.</summary>
    public void MoveTo(ClusterPhase to, string reason)
    {
        PhaseTransitions.Ensure(Phase, to);
        Cluster.Phase = to;
        Cluster.Reason = reason;
        Cluster.PhaseSinceMs = NowMs;
        Cluster.Attempts = 0;
        Cluster.Conditions = ClusterConditions.Without(Cluster.Conditions, ConditionType.Failing);
        Event(to is ClusterPhase.Failed or ClusterPhase.Degraded ? EventType.Warning : EventType.Normal, Enum.Parse<EventReason>(to.ToString()), reason);
    }

    /// <summary>
    /// Records a failed attempt at the phase's work: the Failing condition (since the first failure in a row), the
    /// attempt count that paces the retries, and an event on attempts 1, 2, 4, 8 … so a long outage does not flood the log.
    /// </summary>
    /// <returns>The attempts in a row so far.</returns>
    public int Fail(EventReason reason, string message)
    {
        Failed = true;
        var attempts = ++Cluster.Attempts;
        Cluster.Conditions = ClusterConditions.With(Cluster.Conditions, ConditionType.Failing, reason.ToString(), message, Now);
        if ((attempts & (attempts - 1)) == 0)
        {
            Event(EventType.Warning, reason, attempts == 1 ? message : $"{message} (attempt {attempts})");
        }

        return attempts;
    }

    /// <summary>The pass did its work without failing: whatever was failing is over (the attempt count runs on until the phase changes).</summary>
    public void Succeeded()
    {
        if (ClusterConditions.Without(Cluster.Conditions, ConditionType.Failing) is var cleared && !ReferenceEquals(cleared, Cluster.Conditions))
        {
            Cluster.Conditions = cleared;
        }
    }

    /// <summary>A node's state as this pass sees it: what it observed, else what was stored.</summary>
    public NodeState StateOf(NodeRecord node) => Session.Observed(node.Name)?.State ?? node.State;

    public void Observe(NodeObservation observation) => Session.Observe(observation);
}
