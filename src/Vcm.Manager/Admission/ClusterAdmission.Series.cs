using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Vcm.Domain.Clusters;
using Vcm.Domain.Common;
using Vcm.Domain.Scheduling;
using Vcm.Domain.Series;
using Vcm.Domain.Tenancy;
using Vcm.Drivers.Images;
using Vcm.Manager.Images;
using Vcm.Store.Admission;
using Vcm.Store.Records;
using Vcm.Store.Tenancy;

namespace Vcm.Manager.Admission;

/// <summary>
/// A series: every occurrence is planned in one admission transaction, each against the calendar plus the claims of the
/// earlier occurrences (<see cref="SeriesScheduler"/>), and the series row and one cluster per occurrence that fits are
/// stored together — or, when one does not fit and partial series are not allowed, nothing.
/// </summary>
public sealed partial class ClusterAdmission
{
    /// <summary>Reads and checks a series request: its occurrences with their specs, or every problem.</summary>
    public async Task<(SeriesPlan? Plan, LayerPlan? Packages, IReadOnlyList<Problem> Problems)> ParseSeriesAsync(
        SeriesInput input, IReadOnlyList<Problem> readProblems, CancellationToken cancellationToken)
    {
        var (plan, parsed) = SeriesParser.Parse(input, await ContextAsync(input, cancellationToken));
        var problems = Merge(readProblems, parsed);
        foreach (var other in (input.Sites ?? []).Select(s => s?.Split(':')[0].Trim()).Where(s => !string.IsNullOrEmpty(s) && s != site.Name).Distinct())
        {
            problems.Add(new Problem("sites", $"names site {other}, but a series is for clusters of this site ({site.Name}) only"));
        }

        LayerPlan? packages = null;
        if (problems.Count == 0 && plan is { Occurrences: [var (_, first), ..] })
        {
            if (first.LayerPackages().Count > 0)
            {
                (packages, var packageProblems) = await ResolvePackagesAsync(first, cancellationToken);
                problems.AddRange(packageProblems);
            }

            problems.AddRange(await DiskProblemsAsync(first, cancellationToken));
        }

        return problems.Count > 0 ? (null, null, problems) : (plan, packages, []);
    }

    public async Task<SeriesOutcome> AdmitSeriesAsync(SeriesRequest request, CancellationToken cancellationToken)
    {
        if (await series.FindAsync(request.Plan.Name, cancellationToken) is not null)
        {
            return new SeriesOutcome.NameTaken(request.Plan.Name);
        }

        var taken = await clusters.LiveNamesAsync(request.Plan.Occurrences.Select(o => o.Spec.Name).ToList(), cancellationToken);
        var costs = request.Packages is { } plan ? await estimator.InputsAsync(plan.Image, cancellationToken) : null;
        await _serial.WaitAsync(cancellationToken);
        try
        {
            var outcome = await PlanAndStoreSeriesAsync(request, taken, costs, cancellationToken);
            if (outcome is SeriesOutcome.Admitted && request.Packages is not null)
            {
                cacheImages.Trigger();
            }

            return outcome;
        }
        catch (Exception e) when (e is DbUpdateException or DbException)
        {
            // a unique index refused a row: another request made a series of that name (or a cluster of an occurrence's name) first
            if (await series.FindAsync(request.Plan.Name, CancellationToken.None) is not null)
            {
                return new SeriesOutcome.NameTaken(request.Plan.Name);
            }

            throw;
        }
        finally
        {
            _serial.Release();
        }
    }

    private async Task<SeriesOutcome> PlanAndStoreSeriesAsync(
        SeriesRequest request, IReadOnlySet<string> taken, CostInputs? costs, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var occurrences = request.Plan.Occurrences;
        await using var transaction = await store.BeginAsync(site.Id, cancellationToken);
        var snapshot = cache.At(transaction.Version - 1) ?? await LoadAsync(transaction, now, cancellationToken);
        var ids = occurrences.Select(_ => Ids.New()).ToList();
        var quota = await QuotaAsync(transaction, request.Owner, occurrences[0].Spec.Start, cancellationToken);

        string? Refuse(int i, IReadOnlyList<PlanResult> earlier)
        {
            var spec = occurrences[i].Spec;
            if (taken.Contains(spec.Name))
            {
                return $"a cluster named {spec.Name} exists already";
            }

            if (quota is not { } q)
            {
                return null;
            }

            var held = q.Held.Concat(earlier.Select((r, j) => (r, j)).Where(x => x.r.Placement is not null).Select(x => TenantReservations.Of(occurrences[x.j].Spec))).ToList();
            var excesses = QuotaCheck.Check(q.Quota, held, TenantReservations.Of(spec));
            return excesses.Count > 0 ? $"over tenant {q.Tenant}'s quota: {string.Join("; ", excesses)}" : null;
        }

        var results = SeriesScheduler.Plan(
            ids.Zip(occurrences, (id, o) => (id, PlacementRequest.For(o.Spec))).ToList(), snapshot.Hosts, snapshot.Calendar, Refuse);
        var refused = results.Select((r, i) => (r, i)).Where(x => x.r.Placement is null)
            .Select(x => new RefusedOccurrence(occurrences[x.i].Occurrence.Date, occurrences[x.i].Occurrence.Start, occurrences[x.i].Spec.Name, x.r.Reason!))
            .ToList();
        if (refused.Count == occurrences.Count || (refused.Count > 0 && !request.Plan.AllowPartial))
        {
            foreach (var id in ids)
            {
                snapshot.Calendar.RemoveCluster(id);
            }

            cache.Store(snapshot);
            return new SeriesOutcome.NotAdmitted(refused, occurrences.Count);
        }

        var record = new SeriesRecord
        {
            Id = Ids.New(),
            Name = request.Plan.Name,
            ActiveName = request.Plan.Name,
            SiteId = site.Id,
            TenantId = request.Owner?.TenantId,
            CreatedBy = request.Owner?.UserId,
            Rule = request.Plan.Rule,
            TimeZone = request.Plan.TimeZone,
            Request = request.RequestJson,
            Refused = RefusedOccurrence.Serialize(refused),
            CreatedMs = now.ToUnixTimeMilliseconds(),
            Version = 1,
        };
        var admitted = new List<ClusterRecord>();
        try
        {
            await transaction.InsertSeriesAsync(record, cancellationToken);
            for (var i = 0; i < occurrences.Count; i++)
            {
                if (results[i].Placement is not { } placement)
                {
                    continue;
                }

                var spec = occurrences[i].Spec;
                var one = new AdmissionRequest { Spec = spec, Split = _ => Split.AllHere(spec.NodeNames()), Plan = request.Packages, Owner = request.Owner };
                var rows = AdmittedRows.Build(ids[i], site.Id, one, Split.AllHere(spec.NodeNames()), placement, snapshot.Hosts, [], manager.Id, now);
                rows.Cluster.SeriesId = record.Id;
                rows.Admitted.Message = $"occurrence {i + 1} of {occurrences.Count} of series {record.Name}: {rows.Admitted.Message}";
                await InsertAsync(transaction, rows, one, placement, costs, now, cancellationToken);
                admitted.Add(rows.Cluster);
            }

            await transaction.CommitAsync(cancellationToken);
            foreach (var cluster in admitted)
            {
                changes.Changed(cluster.Id);
            }
        }
        catch
        {
            cache.Clear();
            throw;
        }

        cache.Store(snapshot with { Version = transaction.Version });
        return new SeriesOutcome.Admitted(record, admitted, refused);
    }

    /// <summary>The owner's tenant, its quotas and what it holds from the month of <paramref name="from"/> on; null for the provider's own.</summary>
    private static async Task<(string Tenant, TenantQuota Quota, IReadOnlyList<Reservation> Held)?> QuotaAsync(
        AdmissionTransaction transaction, ClusterOwner? owner, DateTimeOffset from, CancellationToken cancellationToken)
    {
        if (owner?.TenantId is not { } tenantId)
        {
            return null;
        }

        var (tenant, held) = await transaction.TenantAsync(tenantId, QuotaCheck.MonthStart(from).ToUnixTimeMilliseconds(), cancellationToken);
        return tenant is null ? null : (tenant.Name, TenantQuotas.Read(tenant), TenantReservations.Of(held));
    }
}
