using Microsoft.EntityFrameworkCore;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Domain.Common;
using Vcm.Domain.Events;
using Vcm.Domain.Scheduling;
using Vcm.Domain.Tenancy;
using Vcm.Manager.Configuration;
using Vcm.Manager.Peers;
using Vcm.Store.Admission;
using Vcm.Store.Records;
using Vcm.Store.Sites;
using Vcm.Store.Tenancy;

namespace Vcm.Manager.Admission;

/// <summary>
/// Extends and resizes admitted clusters of this site, admitted against the calendar exactly as a create is: in one
/// transaction that locks the site's calendar, read the cluster and the calendar, decide, store — or store nothing.
/// An extension lengthens the cluster's claims on the same hosts; growing places the new workers for the rest of the
/// window and adds their nodes and claims; shrinking marks the highest-numbered workers Removing (their controller
/// removes them from their hosts, then their rows and claims) — or, before anything is built, deletes them at once.
/// </summary>
public sealed partial class ClusterChanges(AdmissionStore store, SiteStore sites, CalendarCache cache, LocalSite site, ManagerIdentity manager, TimeProvider clock, Live.ChangeSignal changes)
{
    public async Task<ChangeOutcome> ExtendAsync(string name, ExtendRequest request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var limits = SiteStore.LimitsOf(await sites.GetLocalAsync(cancellationToken));
        return await ChangeAsync(name, "extended", async (transaction, cluster, nodes, cancel) =>
        {
            var spec = cluster.Spec;
            var (newEnd, problems) = ChangeRequests.Extend(request.End, request.By, spec, cluster.Extensions, limits, now);
            if (problems.Count > 0)
            {
                return new ChangeOutcome.Invalid(problems);
            }

            var (hosts, claims) = await transaction.CalendarAsync(now.ToUnixTimeMilliseconds(), cancel);
            var own = claims.Where(c => c.ClusterId == cluster.Id).ToList();
            var decision = Changes.Extend(own, spec.End, newEnd, hosts, new ClaimCalendar(claims));
            if (!decision.Fits)
            {
                return new ChangeOutcome.NoRoomToExtend(
                    decision.LatestEnd > spec.End
                        ? $"{decision.Reason}; the cluster can be extended to {decision.LatestEnd:u} at most"
                        : $"{decision.Reason}; the cluster cannot be extended past its end {spec.End:u}",
                    decision.LatestEnd);
            }

            var extended = spec with { End = newEnd };
            if (await OverQuotaAsync(transaction, cluster, extended, cancel) is { } over)
            {
                return over;
            }

            var endMs = spec.End.ToUnixTimeMilliseconds();
            foreach (var claim in await transaction.ClaimsOfAsync(cluster.Id, cancel))
            {
                if (claim.EndMs == endMs)
                {
                    claim.EndMs = newEnd.ToUnixTimeMilliseconds();
                }
            }

            cluster.Spec = extended;
            cluster.EndMs = newEnd.ToUnixTimeMilliseconds();
            cluster.Extensions++;
            transaction.Add(EventRecord.Create(cluster.Id, now, EventType.Normal, EventReason.Extended, $"extended from {spec.End:u} to {newEnd:u}", manager.Id));
            return null;
        }, cancellationToken);
    }

    public async Task<ChangeOutcome> ResizeAsync(string name, ResizeRequest request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await ChangeAsync(name, "resized", async (transaction, cluster, nodes, cancel) =>
        {
            var spec = cluster.Spec;
            var problems = ChangeRequests.Resize(request.Workers, spec);
            if (problems.Count > 0)
            {
                return new ChangeOutcome.Invalid(problems);
            }

            var workers = request.Workers!.Value;
            var resized = spec with { Workers = workers };
            string what;
            if (workers > spec.Workers)
            {
                var (hosts, claims) = await transaction.CalendarAsync(now.ToUnixTimeMilliseconds(), cancel);
                var (start, end) = Changes.RestOf(spec.Start, spec.End, now);
                var added = Changes.NewWorkers(spec.Workers, workers, spec.Head);
                var placement = new PlacementRequest(added, Resources.Of(spec.Cpus, spec.Memory, spec.Disk), 0, start, end, spec.Policy, [site.Name]);
                var decision = Changes.Grow(cluster.Id, placement, hosts, new ClaimCalendar(claims));
                if (!decision.Fits)
                {
                    var largest = spec.Workers + decision.LargestFit;
                    return new ChangeOutcome.NoRoomToGrow(
                        $"{decision.Reason}; the cluster can grow to {largest} workers at most" + (decision.LargestFit == 0 ? " (it has that many now)" : ""),
                        largest);
                }

                if (await OverQuotaAsync(transaction, cluster, resized, cancel) is { } over)
                {
                    return over;
                }

                var rows = GrownRows.Build(cluster, added, decision.Placement!, site.Name);
                await transaction.AddNodesAsync(rows.Nodes, rows.Claims, cancel);
                what = $"adds {string.Join(", ", added.Select(n => n.Name))}";
            }
            else
            {
                var released = nodes.Where(n => n.Role == NodeRole.Worker && n.Idx > workers).ToList();
                if (cluster.ActiveVni is null)
                {
                    // nothing of it is built yet: the nodes and their capacity go now
                    await transaction.DeleteNodesAsync(
                        cluster.Id, released.Select(n => (n.Name, n.HostId)).ToList(), Resources.Of(spec.Cpus, spec.Memory, spec.Disk), cancel);
                }
                else
                {
                    await transaction.MarkRemovingAsync(cluster.Id, released.Select(n => n.Name).ToList(), cancel);
                }

                what = $"releases {string.Join(", ", released.Select(n => n.Name))}";
            }

            cluster.Spec = resized;
            cluster.NodesTotal = resized.NodeCount;
            transaction.Add(EventRecord.Create(cluster.Id, now, EventType.Normal, EventReason.Resized, $"resized from {spec.Workers} to {workers} workers: {what}", manager.Id));
            return null;
        }, cancellationToken);
    }

    /// <summary>
    /// The one path of every change: in the admission transaction, find the live cluster, check it can be changed,
    /// let <paramref name="change"/> decide (an outcome refuses; null: store what it changed), bump the cluster's
    /// generation and commit.
    /// </summary>
    private async Task<ChangeOutcome> ChangeAsync(
        string name, string verb, Func<AdmissionTransaction, ClusterRecord, IReadOnlyList<NodeRecord>, CancellationToken, Task<ChangeOutcome?>> change,
        CancellationToken cancellationToken, bool spanningSites = false, bool anyPhase = false)
    {
        try
        {
            await using var transaction = await store.BeginAsync(site.Id, cancellationToken);
            var cluster = await transaction.LiveClusterAsync(name, cancellationToken);
            if (cluster is null)
            {
                return new ChangeOutcome.NotFound(name);
            }

            var nodes = await transaction.NodesOfAsync(cluster.Id, cancellationToken);
            if (!anyPhase && Refusal(cluster, nodes, verb, spanningSites) is { } refused)
            {
                return new ChangeOutcome.Conflict(refused);
            }

            if (await change(transaction, cluster, nodes, cancellationToken) is { } outcome)
            {
                return outcome;
            }

            var nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
            cluster.Generation++;
            cluster.UpdatedMs = nowMs;
            cluster.NextReconcileMs = nowMs;
            await transaction.SaveAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            changes.Changed(cluster.Id);
            return new ChangeOutcome.Changed(cluster);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new ChangeOutcome.Conflict($"cluster {name} changed while it was being {verb}; ask again");
        }
        finally
        {
            cache.Clear(); // the calendar changed (or may have): the next admission reads it again
        }
    }

    /// <summary>Why the cluster cannot be changed now: its phase, a deletion asked for, or nodes at other sites.</summary>
    private static string? Refusal(ClusterRecord cluster, IReadOnlyList<NodeRecord> nodes, string verb, bool spanningSites)
    {
        if (cluster.Phase is not (ClusterPhase.Scheduled or ClusterPhase.Provisioning or ClusterPhase.Ready or ClusterPhase.Degraded)
            || cluster.DeletionRequestedMs is not null)
        {
            return $"cluster {cluster.Name} is {(cluster.DeletionRequestedMs is null ? cluster.Phase.ToString() : "being deleted")}; only a Scheduled or running (Provisioning, Ready, Degraded) cluster can be {verb}";
        }

        if (!spanningSites && (cluster.HomeSite is not null || nodes.Any(n => n.HostId is null)))
        {
            return $"cluster {cluster.Name} spans sites; only a cluster of one site can be {verb}";
        }

        return nodes.Any(n => n.State == NodeState.Removing)
            ? $"cluster {cluster.Name} is still releasing the workers of its last shrink; ask again when they are gone"
            : null;
    }

    /// <summary>The tenant's quota checked as at create: the changed cluster against the tenant's other clusters.</summary>
    private static async Task<ChangeOutcome?> OverQuotaAsync(AdmissionTransaction transaction, ClusterRecord cluster, ClusterSpec changed, CancellationToken cancellationToken)
    {
        if (cluster.TenantId is not { } tenantId)
        {
            return null;
        }

        var (tenant, held) = await transaction.TenantAsync(tenantId, QuotaCheck.MonthStart(changed.Start).ToUnixTimeMilliseconds(), cancellationToken);
        if (tenant is null)
        {
            return null;
        }

        var others = held.Where(h => !(h.Live && h.Spec.Name == cluster.Name));
        var excesses = QuotaCheck.Check(TenantQuotas.Read(tenant), TenantReservations.Of(others), TenantReservations.Of(changed));
        return excesses.Count > 0 ? new ChangeOutcome.OverQuota(tenant.Name, excesses) : null;
    }
}
