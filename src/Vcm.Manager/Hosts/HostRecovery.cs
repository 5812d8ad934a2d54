using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Vcm.Domain.Clusters;
using Vcm.Domain.Common;
using Vcm.Domain.Events;
using Vcm.Domain.Hosts;
using Vcm.Domain.Moves;
using Vcm.Domain.Scheduling;
using Vcm.Manager.Admission;
using Vcm.Manager.Configuration;
using Vcm.Store.Admission;
using Vcm.Store.Audit;
using Vcm.Store.Hosts;
using Vcm.Store.Records;

namespace Vcm.Manager.Hosts;

/// <summary>
/// Brings back what a lost host held (issue 13, item 4). A host whose agent went silent (marked down by
/// <see cref="HostMonitor"/>) is fenced first — never two copies of a node — and only once fenced (or declared dead by
/// a provider, <see cref="DeclareDeadAsync"/>) is it marked <see cref="HostState.Dead"/> and are its pieces rebuilt:
/// in one admission transaction, each node, gateway and shared volume of a cluster still to run gets a host with room
/// for the rest of its window (<see cref="Rehoming"/>), its claims move there, its node keeps its name, MAC, address
/// and host key, and a Ready cluster turns Degraded; its reconcile builds the pieces anew and makes it Ready. A piece
/// with no room waits on the dead host and is tried again on every check.
/// </summary>
public sealed partial class HostRecovery(
    AdmissionStore admissions,
    HostStore hosts,
    Agents.IAgentClient agents,
    HostFencing fencing,
    IHostFence fence,
    AuditStore audit,
    CalendarCache cache,
    Live.ChangeSignal changes,
    LocalSite site,
    ManagerIdentity manager,
    ManagerOptions options,
    TimeProvider clock,
    ILogger<HostRecovery> logger)
{
    /// <summary>How long after a fence that did not work it is tried again.</summary>
    private static readonly TimeSpan FenceRetry = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastFence = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _waiting = new(StringComparer.Ordinal);

    /// <summary>
    /// One look at the site's lost hosts: a down host that holds something is fenced (when a fence is configured;
    /// without one, recovery waits for a provider to declare it dead); a fenced or dead host's pieces are rebuilt.
    /// </summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var staleBefore = (clock.GetUtcNow() - options.HostDownAfter).ToUnixTimeMilliseconds();
        foreach (var host in await hosts.ListAsync(site.Id, cancellationToken))
        {
            // a draining host stays draining when it falls silent (HostStore.MarkStaleDownAsync), but it is lost all the same
            var lost = host.State is HostState.Dead or HostState.Down || (host.State == HostState.Draining && host.HeartbeatMs < staleBefore);
            if (!lost || !await admissions.HoldsAnythingAsync(host.Id, cancellationToken))
            {
                continue;
            }

            if (host.State == HostState.Dead)
            {
                await RecoverAsync(host.Id, $"{host.Name} is dead", cancellationToken); // pieces that waited for room
            }
            else if (fence is not NoFence
                     && (!_lastFence.TryGetValue(host.Id, out var last) || clock.GetUtcNow() - last >= FenceRetry))
            {
                _lastFence[host.Id] = clock.GetUtcNow();
                var fenced = await fencing.FenceAsync(host, manager.Id, cancellationToken);
                if (fenced.Fenced)
                {
                    _lastFence.TryRemove(host.Id, out _);
                    await RecoverAsync(host.Id, $"its agent fell silent and it was fenced ({fenced.Detail})", cancellationToken);
                }
            }
        }
    }

    /// <summary>
    /// A provider's word that a host is dead (powered off, gone): no fence is run. Refused while its agent still
    /// reports — declaring a running host dead would leave two copies of its nodes.
    /// </summary>
    public async Task<DeclareOutcome> DeclareDeadAsync(string name, string actor, CancellationToken cancellationToken)
    {
        var host = (await hosts.ListAsync(site.Id, cancellationToken)).FirstOrDefault(h => h.Name == name);
        if (host is null)
        {
            return new DeclareOutcome.NotFound(name);
        }

        var silentFor = clock.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(host.HeartbeatMs);
        if (host.State is HostState.Ready or HostState.Draining && silentFor < options.HostDownAfter)
        {
            return new DeclareOutcome.Refused(
                $"host {name}'s agent reported {Math.Max(0, silentFor.TotalSeconds):0} s ago: a host whose agent reports is not declared dead " +
                $"(it is marked down after {options.HostDownAfter.TotalSeconds:0} s of silence)");
        }

        var report = await RecoverAsync(host.Id, $"declared dead by {actor}", cancellationToken);
        await audit.AppendAsync(new AuditRecord
        {
            Id = Ids.New(),
            AtMs = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            Actor = actor,
            ActorKind = "user",
            Action = "declare-dead",
            Resource = $"/hosts/{name}",
            Status = 200,
            Detail = $"{report.Rebuilt.Count} pieces rebuilt elsewhere, {report.Waiting.Count} waiting for room",
        }, cancellationToken);
        return new DeclareOutcome.Declared(report);
    }

    /// <summary>
    /// Marks the host dead and rebuilds what it held elsewhere, in one admission transaction; run again when a
    /// cluster's reconcile wrote it meanwhile.
    /// </summary>
    private async Task<RecoveryReport> RecoverAsync(string hostId, string cause, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RecoverOnceAsync(hostId, cause, cancellationToken);
            }
            catch (Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException) when (attempt < 5)
            {
                // a cluster's pass committed between the read and the write: read again
            }
        }
    }

    private async Task<RecoveryReport> RecoverOnceAsync(string hostId, string cause, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rebuilt = new List<string>();
        var waiting = new List<string>();
        var touched = new List<string>();
        string hostName;
        try
        {
            await using var transaction = await admissions.BeginAsync(site.Id, cancellationToken);
            var host = await transaction.TrackedHostAsync(hostId, cancellationToken) ?? throw new InvalidOperationException($"host {hostId} is gone");
            hostName = host.Name;
            var newlyDead = host.State != HostState.Dead;
            host.State = HostState.Dead;
            await transaction.SaveAsync(cancellationToken); // the calendar read below leaves it out
            var (clusters, nodes) = await transaction.HeldOnAsync(hostId, cancellationToken);
            if (!newlyDead && clusters.Count == 0)
            {
                return new RecoveryReport(hostName, [], []);
            }

            await EndMigrationsAsync(transaction, hostId, hostName, now, cancellationToken);
            var withParts = await transaction.WithPartsAsync(clusters.Select(c => c.Id).ToList(), cancellationToken);
            var pieces = clusters.SelectMany(c => Pieces(c, nodes.Where(n => n.ClusterId == c.Id), hostId, withParts.Contains(c.Id) || c.HomeSite is not null, now)).ToList();
            var (capacity, claims) = await transaction.CalendarAsync(now.ToUnixTimeMilliseconds(), cancellationToken);
            var placed = Rehoming.Place(pieces, capacity.Where(h => h.HostId != hostId).ToList(), new ClaimCalendar(claims));
            var names = capacity.ToDictionary(h => h.HostId, h => h.Name, StringComparer.Ordinal);
            foreach (var cluster in clusters)
            {
                var mine = placed.Where(p => p.Piece.ClusterId == cluster.Id).ToList();
                var moved = new List<string>();
                foreach (var piece in mine)
                {
                    if (piece.HostId is not { } to)
                    {
                        waiting.Add($"{cluster.Name}/{piece.Piece.Name}: {piece.Reason}");
                        if (_waiting.TryGetValue(cluster.Id + "/" + piece.Piece.Name, out var said) && said == piece.Reason)
                        {
                            continue; // said already: a check every few seconds does not repeat it
                        }

                        _waiting[cluster.Id + "/" + piece.Piece.Name] = piece.Reason!;
                        transaction.Add(EventRecord.Create(cluster.Id, now, EventType.Warning, EventReason.RehomeWaiting,
                            $"{piece.Piece.Name} stays on lost host {hostName}: {piece.Reason}; tried again as capacity frees", manager.Id));
                        continue;
                    }

                    _waiting.TryRemove(cluster.Id + "/" + piece.Piece.Name, out _);
                    await MoveAsync(transaction, cluster, nodes, piece.Piece, hostId, hostName, to, names[to], cancellationToken);
                    moved.Add($"{piece.Piece.Name} on {names[to]}");
                    rebuilt.Add($"{cluster.Name}/{piece.Piece.Name} → {names[to]}");
                }

                if (moved.Count == 0)
                {
                    continue;
                }

                var lostData = mine.Any(p => p.HostId is not null && p.Piece.Role == HostRoles.Storage) ? "; the shared volume's data was on it and is lost" : "";
                transaction.Add(EventRecord.Create(cluster.Id, now, EventType.Warning, EventReason.HostLost,
                    $"host {hostName} was lost ({cause}): rebuilding {string.Join(", ", moved)}{lostData}", manager.Id));
                if (cluster.Phase == ClusterPhase.Ready)
                {
                    PhaseTransitions.Ensure(cluster.Phase, ClusterPhase.Degraded);
                    cluster.Phase = ClusterPhase.Degraded;
                    cluster.PhaseSinceMs = now.ToUnixTimeMilliseconds();
                    cluster.Reason = $"host {hostName} was lost: rebuilding {string.Join(", ", moved)}";
                    transaction.Add(EventRecord.Create(cluster.Id, now, EventType.Warning, EventReason.Degraded, cluster.Reason, manager.Id));
                }

                cluster.NextReconcileMs = now.ToUnixTimeMilliseconds();
                cluster.UpdatedMs = now.ToUnixTimeMilliseconds();
                touched.Add(cluster.Id);
            }

            await transaction.SaveAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            if (newlyDead)
            {
                LogDead(logger, hostName, cause);
            }
        }
        finally
        {
            cache.Clear();
        }

        foreach (var id in touched)
        {
            changes.Changed(id);
        }

        if (rebuilt.Count > 0)
        {
            LogRebuilt(logger, hostName, string.Join(", ", rebuilt));
        }

        return new RecoveryReport(hostName, rebuilt, waiting);
    }

    /// <summary>What of the cluster the lost host held: its nodes, and its gateway and shared volume (not a gateway that ends VPNs: other sites know its address).</summary>
    private static IEnumerable<LostPiece> Pieces(ClusterRecord cluster, IEnumerable<NodeRecord> nodes, string hostId, bool hasVpn, DateTimeOffset now)
    {
        var spec = cluster.Spec;
        var from = DateTimeOffset.FromUnixTimeMilliseconds(Math.Max(now.ToUnixTimeMilliseconds(), cluster.StartMs));
        var to = DateTimeOffset.FromUnixTimeMilliseconds(cluster.EndMs);
        if (cluster.GatewayHostId == hostId && !hasVpn)
        {
            yield return new LostPiece(cluster.Id, Gateway, HostRoles.Gateway, Resources.Zero, from, to);
        }

        if (cluster.StorageHostId == hostId && spec.Shared is { } shared)
        {
            yield return new LostPiece(cluster.Id, Volume, HostRoles.Storage, new Resources(0, 0, shared.Mebibytes), from, to);
        }

        foreach (var node in nodes)
        {
            yield return new LostPiece(cluster.Id, node.Name, HostRoles.Compute, Resources.Of(spec.Cpus, spec.Memory, spec.Disk), from, to);
        }
    }

    private const string Gateway = "the gateway";
    private const string Volume = "the shared volume";

    private async Task MoveAsync(
        AdmissionTransaction transaction, ClusterRecord cluster, IReadOnlyList<NodeRecord> nodes, LostPiece piece, string fromId, string fromName, string to, string toName,
        CancellationToken cancellationToken)
    {
        switch (piece.Role)
        {
            case HostRoles.Gateway:
                cluster.GatewayHostId = to;
                return;
            case HostRoles.Storage:
                cluster.StorageHostId = to;
                break;
            default:
                var node = nodes.First(n => n.ClusterId == cluster.Id && n.Name == piece.Name);
                node.HostId = to;
                node.BootedMs = null;
                if (cluster.Phase != ClusterPhase.Scheduled)
                {
                    node.State = NodeState.Missing;
                    node.Detail = $"host {fromName} was lost; rebuilding on {toName}";
                }

                break;
        }

        await transaction.MoveCapacityAsync(cluster.Id, fromId, to, piece.Size, piece.From, piece.To, cancellationToken);
    }

    /// <summary>
    /// Migrations to or from the lost host end: one going to it failed (its capacity there is freed), one from it
    /// failed too (the node is rebuilt instead, and the capacity held for it is freed), one that had switched over is
    /// complete (its old copy went with the host).
    /// </summary>
    private static async Task EndMigrationsAsync(AdmissionTransaction transaction, string hostId, string hostName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var migration in await transaction.MigrationsTouchingAsync(hostId, cancellationToken))
        {
            if (migration.ToSite is not null)
            {
                // to another site: its reconcile tells the peer — to take over a node that switched over, or to drop
                // the receiver of one that did not (the node is rebuilt here)
                if (migration.State == MigrationState.Pending)
                {
                    migration.State = MigrationState.Aborting;
                    migration.Error ??= $"host {hostName} was lost";
                }

                continue;
            }

            if (migration.State == MigrationState.Moved)
            {
                migration.State = MigrationState.Completed;
            }
            else
            {
                if (migration.State == MigrationState.Pending && migration.ClaimId is { } claim)
                {
                    await transaction.FreeClaimAsync(claim, cancellationToken); // an aborting one freed it already
                }

                migration.State = MigrationState.Failed;
                migration.Error ??= $"host {hostName} was lost";
            }

            migration.EndedMs = now.ToUnixTimeMilliseconds();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "host {Host} is dead ({Cause}); what it held is rebuilt on other hosts")]
    private static partial void LogDead(ILogger logger, string host, string cause);

    [LoggerMessage(Level = LogLevel.Warning, Message = "host {Host} lost: rebuilt {Pieces}")]
    private static partial void LogRebuilt(ILogger logger, string host, string pieces);
}
