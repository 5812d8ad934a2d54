using System.Diagnostics;
using System.Globalization;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Store;

namespace Vcm.Bench;

/// <summary>
/// The control-plane benchmark with tenancy on the path, A/B on one manager: (A) every request with the one provider
/// (admin) token; (B) the same requests spread over members of tenants with quotas, each with its own API token, so
/// each call authenticates a user token, passes the member's role policy and is audited under its tenant, and each
/// admission runs the tenant's quota check in its transaction. Passes alternate AB, BA, … after one unrecorded
/// warm-up pass of each; every cluster is released before the next pass. The clusters are watched with the provider
/// token in both (one list request per 50 ms), so the watching costs the same on both sides.
/// </summary>
public sealed class TenancyBench(StoreProvider provider, int hosts, int bigNodes, int manyClusters, int manyNodes, int rounds, int tenants, int membersPerTenant)
{
    /// <summary>Large enough to admit everything (every check still runs), within what a quota may say.</summary>
    public const string Quota = "nodes=1000000,vcpus=100000000,memory=1000T,shared=1000T,node-hours=1000000000";

    public const double Goal = 0.05;

    private static readonly CancellationToken Ct = CancellationToken.None;

    public async Task<IReadOnlyList<string>> RunAsync()
    {
        await using var site = await SimSite.StartAsync(provider, hosts);
        var members = await MembersAsync(site);
        try
        {
            var started = DateTimeOffset.UtcNow;
            IReadOnlyList<VcmClient> providerOnly = [site.Provider];
            Console.Error.WriteLine("bench: warm-up passes (not counted)");
            await PassAsync(site, "wa", providerOnly, 0);
            await PassAsync(site, "wb", members, 0);
            var a = new List<TenancyPass>();
            var b = new List<TenancyPass>();
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var side in round % 2 == 1 ? "ab" : "ba")
                {
                    Console.Error.WriteLine($"bench: round {round}, {(side == 'a' ? "A (provider token)" : "B (tenants' members)")}");
                    if (side == 'a')
                    {
                        a.Add(await PassAsync(site, $"a{round}", providerOnly, round));
                    }
                    else
                    {
                        b.Add(await PassAsync(site, $"b{round}", members, round));
                    }
                }
            }

            var audited = await AuditedCreatesAsync(site, started);
            return Table(a, b, audited, (rounds + 1) * (manyClusters + 1));
        }
        finally
        {
            foreach (var member in members)
            {
                member.Dispose();
            }
        }
    }

    /// <summary>The tenants t1…, each with members t1-m1…, and a client with each member's own API token.</summary>
    private async Task<IReadOnlyList<VcmClient>> MembersAsync(SimSite site)
    {
        var clients = new List<VcmClient>();
        for (var t = 1; t <= tenants; t++)
        {
            await site.Provider.CreateTenantAsync(new TenantCreateRequest($"t{t}", Quota), Ct);
            for (var m = 1; m <= membersPerTenant; m++)
            {
                var user = $"t{t}-m{m}";
                await site.Provider.CreateUserAsync(new UserCreateRequest(user, $"t{t}", "member", null), Ct);
                var token = await site.Provider.CreateTokenAsync(new TokenCreateRequest(user, "bench", null), Ct);
                clients.Add(site.ClientWith(token.Secret!));
            }
        }

        // interleaved by tenant (t1-m1, t2-m1, …) so that consecutive requests come from different tenants
        return clients.Select((client, i) => (client, i)).OrderBy(c => c.i % membersPerTenant).ThenBy(c => c.i).Select(c => c.client).ToList();
    }

    /// <summary>
    /// The big cluster (by one caller, a different one each round), then the many clusters at once (caller i of
    /// cluster i, round robin); everything is released before it returns.
    /// </summary>
    private async Task<TenancyPass> PassAsync(SimSite site, string prefix, IReadOnlyList<VcmClient> callers, int round)
    {
        var watcher = site.Provider;
        var bigCaller = callers[round % callers.Count];
        var big = $"{prefix}-big";
        var watch = Stopwatch.StartNew();
        var created = await bigCaller.CreateClusterAsync(new ClusterSpecInput { Name = big, Workers = bigNodes - 1, Duration = "2h" }, Ct);
        var bigAdmitted = watch.Elapsed;
        await ClusterPolls.WaitAsync(watcher, [big], "Ready", all: false);
        var bigReady = watch.Elapsed;
        watch.Restart();
        await bigCaller.DeleteClusterAsync(big, Ct);
        await ClusterPolls.WaitAsync(watcher, [created.Id], "Released");
        var bigReleased = watch.Elapsed;

        var names = Enumerable.Range(0, manyClusters).Select(i => $"{prefix}-many-{i:000}").ToList();
        watch.Restart();
        var many = await Task.WhenAll(names.Select((name, i) => callers[i % callers.Count].CreateClusterAsync(
            new ClusterSpecInput { Name = name, Workers = manyNodes - 1, Duration = "2h", Policy = "spread" }, Ct)));
        var manyAdmitted = watch.Elapsed;
        await ClusterPolls.WaitAsync(watcher, names, "Ready", all: false);
        var manyReady = watch.Elapsed;

        await Task.WhenAll(names.Select((name, i) => callers[i % callers.Count].DeleteClusterAsync(name, Ct)));
        await ClusterPolls.WaitAsync(watcher, many.Select(c => c.Id).ToList(), "Released");
        return new TenancyPass(bigAdmitted, bigReady, bigReleased, manyAdmitted, manyReady, manyClusters);
    }

    /// <summary>How many cluster creations the audit trail holds under a tenant, by a user, answered 201.</summary>
    private static async Task<int> AuditedCreatesAsync(SimSite site, DateTimeOffset since)
    {
        var entries = await site.Provider.ListAuditAsync(null, since.ToString("O", CultureInfo.InvariantCulture), 10_000, Ct);
        return entries.Count(e => e is { Action: "POST /api/v1/clusters", ActorKind: "user", Status: 201, Tenant: not null });
    }

    private IReadOnlyList<string> Table(List<TenancyPass> a, List<TenancyPass> b, int audited, int createdByMembers)
    {
        var rate = Row($"admission rate: {manyClusters} concurrent {manyNodes}-node clusters (spread), admissions/s", a, b, p => p.AdmissionRate, higherIsFaster: true, bold: true);
        var ready = Row($"one {bigNodes:N0}-node cluster: create → Ready", a, b, p => p.BigReady.TotalMilliseconds, higherIsFaster: false, bold: true);
        var met = rate.Slowdown <= Goal && ready.Slowdown <= Goal;
        return
        [
            $"Medians of {rounds} rounds (each round's figure in brackets, in round order; rounds ran AB, BA, AB, …). " +
            $"A: one provider token. B: {tenants} tenants × {membersPerTenant} members, each with its own token, quota `{Quota}`.",
            "",
            "| what | A: provider token | B: tenants' members | B slower by |",
            "|---|---|---|---|",
            rate.Text,
            Row($"one {bigNodes:N0}-node cluster: create → admitted", a, b, p => p.BigAdmitted.TotalMilliseconds, higherIsFaster: false, bold: false).Text,
            ready.Text,
            Row($"one {bigNodes:N0}-node cluster: delete → Released", a, b, p => p.BigReleased.TotalMilliseconds, higherIsFaster: false, bold: false).Text,
            Row($"{manyClusters} concurrent {manyNodes}-node clusters: all Ready", a, b, p => p.ManyReady.TotalMilliseconds, higherIsFaster: false, bold: false).Text,
            "",
            $"Goal: B ≤ {Goal * 100:0}% slower on admission rate and on the {bigNodes:N0}-node create → Ready: **{(met ? "met" : "not met")}** " +
            $"({rate.Slowdown:+0.0%;-0.0%} and {ready.Slowdown:+0.0%;-0.0%}). The audit trail holds {audited} cluster creations by tenants' members " +
            $"(B made {createdByMembers}, warm-up included).",
        ];
    }

    /// <summary>A row of medians and each round's figure; the slowdown is B's time over A's (or A's rate over B's) less one.</summary>
    private static (string Text, double Slowdown) Row(string what, List<TenancyPass> a, List<TenancyPass> b, Func<TenancyPass, double> figure, bool higherIsFaster, bool bold)
    {
        var (ma, mb) = (Median(a.Select(figure)), Median(b.Select(figure)));
        var slowdown = higherIsFaster ? (ma / mb) - 1 : (mb / ma) - 1;
        string Cell(List<TenancyPass> passes, double median)
        {
            var text = higherIsFaster ? $"{median:N1}" : $"{median:N0} ms";
            return $"{(bold ? $"**{text}**" : text)} ({string.Join(", ", passes.Select(p => figure(p).ToString(higherIsFaster ? "N1" : "N0", CultureInfo.InvariantCulture)))})";
        }

        return ($"| {what} | {Cell(a, ma)} | {Cell(b, mb)} | {slowdown:+0.0%;-0.0%} |", slowdown);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
