using Vcm.Domain.Clusters;
using Vcm.Domain.Common;
using Vcm.Manager.Admission;
using Vcm.Store;
using Vcm.Store.Clusters;
using Vcm.Store.Records;

namespace Vcm.Manager.Controllers;

/// <summary>One reconcile's view of one cluster: the tracked row, the time, and the events it will write with it.</summary>
public sealed class ClusterScope(VcmDbContext db, ClusterRecord cluster, DateTimeOffset now, string source)
{
    private StoredSpec? _spec;

    public VcmDbContext Db { get; } = db;

    public ClusterRecord Cluster { get; } = cluster;

    public DateTimeOffset Now { get; } = now;

    public long NowMs => Now.ToUnixTimeMilliseconds();

    public StoredSpec Spec => _spec ??= StoredSpec.Deserialize(Cluster.Spec);

    public ClusterPhase Phase => Enum.Parse<ClusterPhase>(Cluster.Phase);

    public DateTimeOffset End => DateTimeOffset.FromUnixTimeMilliseconds(Cluster.EndMs);

    public void Event(string type, string reason, string message) => Db.Events.Add(new EventRecord
    {
        Id = Ids.New(),
        ClusterId = Cluster.Id,
        AtMs = NowMs,
        Type = type,
        Reason = reason,
        Message = message.Length <= 2000 ? message : message[..1997] + "...",
        Source = source,
    });

    /// <summary>Moves the cluster to <paramref name="to"/> (only along an allowed transition) and records why.</summary>
    public void MoveTo(ClusterPhase to, string reason)
    {
        PhaseTransitions.Ensure(Phase, to);
        Cluster.Phase = to.ToString();
        Cluster.Reason = reason;
        Cluster.PhaseSinceMs = NowMs;
        Cluster.Attempts = 0;
        Event(to is ClusterPhase.Failed or ClusterPhase.Degraded ? "Warning" : "Normal", to.ToString(), reason);
    }

    /// <summary>Writes the row and the events if the row is still as it was read; false if someone changed it.</summary>
    public Task<bool> SaveAsync(CancellationToken cancellationToken)
    {
        Cluster.UpdatedMs = NowMs;
        return ClusterStore.SaveAsync(Db, cancellationToken);
    }
}
