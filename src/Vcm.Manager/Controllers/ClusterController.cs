using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vcm.Manager.Configuration;
using Vcm.Domain.Clusters;
using Vcm.Store.Clusters;
using Vcm.Store.Records;

namespace Vcm.Manager.Controllers;

/// <summary>
/// Runs <see cref="ClusterReconciler"/> for due clusters. Due work is claimed from the database (so several
/// managers share it and a dead one's work moves on), fed through a <see cref="WorkQueue"/> that never runs one
/// cluster twice at once, and handed back with the time it wants to be looked at next. Nothing is kept only here:
/// the queue is a cache of what the database says is due.
/// </summary>
public sealed partial class ClusterController(
    ClusterReconciler reconciler,
    ClusterStore clusters,
    ClusterLeases leases,
    ManagerIdentity manager,
    ControllerOptions options,
    TimeProvider clock,
    Live.ChangeSignal changes,
    ILogger<ClusterController> logger) : BackgroundService
{
    private readonly WorkQueue _queue = new(clock);

    /// <summary>Reconciles are running or queued here now.</summary>
    public int Active => _queue.Active().Count;

    /// <summary>Asks for a cluster to be looked at soon (after a change made through this manager's API).</summary>
    public void Trigger(string clusterId) => _queue.Add(clusterId);

    /// <summary>
    /// Asks for a cluster (or a part built here) to be released now: marks it deleted — unless it is final or already
    /// asked — and makes it due at once here and for any manager. Returns the row as it is now; null when there is none.
    /// </summary>
    public async Task<ClusterRecord?> RequestDeletionAsync(string clusterId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var requested = false;
        var cluster = await clusters.UpdateAsync(clusterId, c =>
        {
            if (PhaseTransitions.IsFinal(c.Phase) || c.DeletionRequestedMs is not null)
            {
                return null;
            }

            c.DeletionRequestedMs = now;
            c.Generation++;
            c.UpdatedMs = now;
            requested = true;
            return [];
        }, cancellationToken);
        if (requested)
        {
            changes.Changed(clusterId);
            await leases.RequestAsync(clusterId, now, cancellationToken);
            Trigger(clusterId);
        }

        return cluster;
    }

    public override void Dispose()
    {
        base.Dispose();
        _queue.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled)
        {
            return;
        }

        await leases.ForgetOwnLeasesAsync(manager.Id, clock.GetUtcNow().ToUnixTimeMilliseconds(), stoppingToken);
        var workers = Enumerable.Range(0, options.Workers).Select(_ => WorkAsync(stoppingToken)).ToList();
        workers.Add(PollAsync(stoppingToken));
        workers.Add(RenewAsync(stoppingToken));
        await Task.WhenAll(workers);
    }

    private async Task PollAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var free = options.Workers * 2 - _queue.Count;
                if (free > 0)
                {
                    var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
                    foreach (var id in await leases.ClaimDueAsync(manager.Id, now, (long)options.LeaseDuration.TotalMilliseconds, free, stoppingToken))
                    {
                        _queue.Add(id);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogPollFailed(logger, e);
            }

            try
            {
                await Task.Delay(options.PollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RenewAsync(CancellationToken stoppingToken)
    {
        var period = options.LeaseDuration / 3;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, clock, stoppingToken);
                var until = clock.GetUtcNow().Add(options.LeaseDuration).ToUnixTimeMilliseconds();
                await leases.RenewAsync(manager.Id, _queue.Active(), until, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogRenewFailed(logger, e);
            }
        }
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            string id;
            try
            {
                id = await _queue.TakeAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            using var scope = logger.BeginScope(new Dictionary<string, object> { ["cluster"] = id });
            try
            {
                await ReconcileOneAsync(id, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogReconcileFailed(logger, id, e);
                await ReleaseQuietlyAsync(id, clock.GetUtcNow().Add(options.RetryMax).ToUnixTimeMilliseconds());
            }
            finally
            {
                _queue.Done(id);
            }
        }
    }

    private async Task ReconcileOneAsync(string id, CancellationToken stoppingToken)
    {
        var now = clock.GetUtcNow();
        if (!await leases.TryLeaseAsync(id, manager.Id, now.ToUnixTimeMilliseconds(), (long)options.LeaseDuration.TotalMilliseconds, stoppingToken))
        {
            return; // another manager is on it
        }

        var result = await reconciler.ReconcileAsync(id, stoppingToken);
        long? next = result.RequeueAfter is { } after ? clock.GetUtcNow().Add(after).ToUnixTimeMilliseconds() : null;
        await leases.ReleaseAsync(id, manager.Id, next, stoppingToken);
        if (result.RequeueAfter is { } soon && soon <= options.PollInterval * 4)
        {
            _queue.AddAfter(id, soon);
        }
    }

    private async Task ReleaseQuietlyAsync(string id, long nextMs)
    {
        try
        {
            await leases.ReleaseAsync(id, manager.Id, nextMs, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogRenewFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "polling for due clusters failed")]
    private static partial void LogPollFailed(ILogger logger, Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "renewing or releasing leases failed")]
    private static partial void LogRenewFailed(ILogger logger, Exception e);

    [LoggerMessage(Level = LogLevel.Error, Message = "reconciling cluster {Cluster} failed")]
    private static partial void LogReconcileFailed(ILogger logger, string cluster, Exception e);
}
