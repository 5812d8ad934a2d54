using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Domain.Hosts;
using Vcm.Domain.Moves;
using Vcm.Domain.Scheduling;
using Vcm.Manager.Admission;
using Vcm.Manager.Configuration;
using Vcm.Manager.Controllers;
using Vcm.Store.Admission;
using Vcm.Store.Hosts;

namespace Vcm.Manager.Hosts;

/// <summary>
/// Moves the running nodes off draining hosts, a few at a time: for each draining host, the nodes of Ready clusters
/// still on it are migrated through admission (<see cref="ClusterChanges.MigrateAsync(string, string, MigrateRequest, string, string, int, CancellationToken)"/>)
/// to a ready compute host with room for the rest of their window — a consolidation's planned host, else the one with
/// the most free cpus — while neither host is the source or destination of <see cref="ManagerOptions.MigrationsPerHost"/>
/// active migrations. A node whose migration failed is tried again after <see cref="RetryAfterFailure"/>. Nodes of
/// clusters that are not Ready wait; a gateway or shared volume does not move live and is
/// only reported (<see cref="HostDrains.ProgressAsync"/>). Each pass reads the database afresh, so a restart, or a
/// second manager doing the same, carries on: admission checks every limit again in its own transaction.
/// </summary>
public sealed partial class HostDrainer(
    HostStore hosts, DrainStore drains, AdmissionStore admission, ClusterChanges changes, ClusterController controller, ConsolidationHints hints,
    ManagerOptions options, LocalSite site, TimeProvider clock, ILogger<HostDrainer> logger) : BackgroundService
{
    /// <summary>How long a node whose migration failed waits before the drain tries it again (its host may be failing).</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Asks for a pass now (a host was just drained).</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // a pass is asked for already
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Controllers.Enabled)
        {
            return;
        }

        var period = options.Controllers.PollInterval * 4;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PassAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogFailed(logger, e);
            }

            using var timer = new CancellationTokenSource(period, clock);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timer.Token);
            try
            {
                await _wake.WaitAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // the period is up: look again
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass: admits what migrations the limits allow off every draining host; how many it admitted.</summary>
    public async Task<int> PassAsync(CancellationToken cancellationToken)
    {
        var all = await hosts.ListAsync(site.Id, cancellationToken);
        var draining = all.Where(h => h.State == HostState.Draining).ToList();
        if (draining.Count == 0)
        {
            return 0;
        }

        var now = clock.GetUtcNow();
        var nodes = await drains.NodesAsync(site.Id, draining.Select(h => h.Id).ToList(), cancellationToken);
        var retryFrom = (now - RetryAfterFailure).ToUnixTimeMilliseconds();
        var movable = nodes.Where(n => n.Phase == ClusterPhase.Ready && !n.Deleting && n.State == NodeState.Ready && !n.Migrating && !n.SpansSites
            && (n.LastFailedMs is null || n.LastFailedMs < retryFrom)).ToList();
        if (movable.Count == 0)
        {
            return 0;
        }

        var (ready, claims) = await admission.ReadCalendarAsync(site.Id, now.ToUnixTimeMilliseconds(), cancellationToken);
        var calendar = new ClaimCalendar(claims);
        var busy = new Dictionary<string, int>(await drains.BusyAsync(cancellationToken), StringComparer.Ordinal);

        var limit = options.MigrationsPerHost;
        var admitted = 0;
        foreach (var host in draining)
        {
            foreach (var node in movable.Where(n => n.HostId == host.Id))
            {
                if (busy.GetValueOrDefault(host.Id) >= limit)
                {
                    break;
                }

                var end = DateTimeOffset.FromUnixTimeMilliseconds(node.EndMs);
                var to = Destination(node, ready, calendar, busy, limit, now, end);
                if (to is null)
                {
                    LogNoRoom(logger, node.Node, node.Cluster, host.Name);
                    continue;
                }

                var reason = $"host {host.Name} is draining";
                var outcome = await changes.MigrateAsync(node.Cluster, node.Node, new MigrateRequest(to.Name), "host drain", reason, limit, cancellationToken);
                if (outcome is ChangeOutcome.MigrationAdmitted moved)
                {
                    controller.Trigger(moved.Cluster.Id);
                    hints.Done(node.ClusterId, node.Node);
                    calendar.Add(new Claim(node.ClusterId, to.HostId, now, end, node.Size));
                    busy[host.Id] = busy.GetValueOrDefault(host.Id) + 1;
                    busy[to.HostId] = busy.GetValueOrDefault(to.HostId) + 1;
                    admitted++;
                    LogAdmitted(logger, node.Node, node.Cluster, host.Name, to.Name);
                }
                else
                {
                    LogRefused(logger, node.Node, node.Cluster, host.Name, outcome.ToString());
                }
            }
        }

        return admitted;
    }

    /// <summary>A ready compute host with room for the node through <paramref name="end"/> and a migration to spare: the planned one, else the most free.</summary>
    private HostCapacity? Destination(
        PlacedNode node, IReadOnlyList<HostCapacity> ready, ClaimCalendar calendar, IReadOnlyDictionary<string, int> busy, int limit, DateTimeOffset now, DateTimeOffset end)
    {
        var spare = ready.Where(h => h.HostId != node.HostId && busy.GetValueOrDefault(h.HostId) < limit).ToList();
        var planned = hints.For(node.ClusterId, node.Node);
        return HostChoice.MostFree(spare.Where(h => h.HostId == planned), HostRoles.Compute, node.Size, now, end, calendar, f => f.Cpus)
            ?? HostChoice.MostFree(spare, HostRoles.Compute, node.Size, now, end, calendar, f => f.Cpus);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "drain of {Host}: moving node {Node} of {Cluster} to {To}")]
    private static partial void LogAdmitted(ILogger logger, string node, string cluster, string host, string to);

    [LoggerMessage(Level = LogLevel.Debug, Message = "drain of {Host}: node {Node} of {Cluster} has no ready host with room for the rest of its window")]
    private static partial void LogNoRoom(ILogger logger, string node, string cluster, string host);

    [LoggerMessage(Level = LogLevel.Debug, Message = "drain of {Host}: node {Node} of {Cluster} not moved now: {Outcome}")]
    private static partial void LogRefused(ILogger logger, string node, string cluster, string host, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "a drain pass failed")]
    private static partial void LogFailed(ILogger logger, Exception e);
}
