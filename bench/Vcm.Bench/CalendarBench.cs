using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Domain.Series;
using Vcm.Store;
using Vcm.Store.Records;

namespace Vcm.Bench;

/// <summary>
/// Admission against a busy calendar: 1,000 simulated hosts (64 cpus, 512G) and 10,000 claims seeded directly in the
/// database (1,000 clusters of 10 claims on random hosts over the coming month); then, timed one request at a time over
/// HTTP, 15-occurrence weekly series and flexible starts over a one-month range — one that fits at its first start, and
/// one so large that vcm searches the month's claim ends for a start.
/// </summary>
public sealed class CalendarBench(StoreProvider provider, int hosts, int claims, int rounds)
{
    private const int ClaimsPerCluster = 10;

    public async Task<IReadOnlyList<string>> RunAsync()
    {
        await using var site = await SimSite.StartAsync(provider, hosts);
        var now = DateTimeOffset.UtcNow;
        var seeding = Stopwatch.StartNew();
        await SeedAsync(site, now);
        Console.Error.WriteLine($"bench: seeded {claims:N0} claims in {seeding.Elapsed.TotalSeconds:0.0} s");

        var client = site.Provider;
        var start = now.AddDays(1);
        var series = await TimeAsync(rounds, i => client.CreateSeriesAsync(new SeriesInput
        {
            Name = $"series-{i:000}", Workers = 16, Cpus = 2, Memory = "4G",
            Start = start.ToString("O", CultureInfo.InvariantCulture), Duration = "3h", Repeat = "FREQ=WEEKLY;COUNT=15",
        }, CancellationToken.None));
        var small = await TimeAsync(rounds, i => client.CreateClusterAsync(new ClusterSpecInput
        {
            Name = $"flex-{i:000}", Workers = 16, Cpus = 2, Memory = "4G",
            Start = now.AddHours(1).ToString("O", CultureInfo.InvariantCulture), LatestStart = now.AddDays(31).ToString("O", CultureInfo.InvariantCulture), Duration = "4h",
        }, CancellationToken.None));
        var largeRounds = Math.Max(3, rounds / 4);
        string? outcome = null;
        var large = await TimeAsync(largeRounds, async i =>
        {
            try
            {
                var created = await client.CreateClusterAsync(new ClusterSpecInput
                {
                    Name = $"wide-{i:000}", Workers = hosts - 1, Cpus = 40, Memory = "8G", Policy = "spread",
                    Start = now.AddHours(1).ToString("O", CultureInfo.InvariantCulture), LatestStart = now.AddDays(31).ToString("O", CultureInfo.InvariantCulture), Duration = "4h",
                }, CancellationToken.None);
                outcome ??= $"admitted at +{(created.Start - now).TotalHours:0}h";
                await client.DeleteClusterAsync(created.Name, CancellationToken.None);
            }
            catch (VcmApiException e) when (e.Status == 409)
            {
                outcome ??= "refused: no start in the month fits";
            }
        });

        return
        [
            $"| 15-occurrence weekly series (17 nodes × 2 cpus each), {rounds} requests | **{Ms(Median(series))}** | {Ms(P95(series))} |",
            $"| flexible start over a month, fits at its first start (17 nodes), {rounds} requests | **{Ms(Median(small))}** | {Ms(P95(small))} |",
            $"| flexible start over a month, {hosts:N0} nodes × 40 cpus ({outcome}), {largeRounds} requests | **{Ms(Median(large))}** | {Ms(P95(large))} |",
        ];
    }

    /// <summary>Clusters (Scheduled, not due before the bench ends) with 10 claims each on random hosts, starting within the month.</summary>
    private async Task SeedAsync(SimSite site, DateTimeOffset now)
    {
        var random = new Random(11);
        var spec = ClusterSpecParser.Parse(
            new ClusterSpecInput { Name = "seed", Workers = ClaimsPerCluster - 1 }, new SpecContext(now, new HashSet<string> { "micro" }, new HashSet<string> { site.Manager.Site.Name })).Spec!;
        await using var db = site.Manager.Database.CreateContext();
        var hostIds = await db.Hosts.Select(h => h.Id).ToListAsync();
        var nowMs = now.ToUnixTimeMilliseconds();
        for (var batch = 0; batch < claims / ClaimsPerCluster; batch += 100)
        {
            var batchClaims = new List<ClaimRecord>();
            for (var c = batch; c < Math.Min(batch + 100, claims / ClaimsPerCluster); c++)
            {
                var startMs = nowMs + (long)(random.NextDouble() * TimeSpan.FromDays(30).TotalMilliseconds);
                var endMs = startMs + (long)TimeSpan.FromHours(random.Next(2, 49)).TotalMilliseconds;
                var id = $"seed{c:0000}";
                db.Clusters.Add(new ClusterRecord
                {
                    Id = id, Name = $"seed-{c:0000}", ActiveName = $"seed-{c:0000}", SiteId = site.Manager.Site.Id, Spec = spec, Phase = ClusterPhase.Scheduled,
                    StartMs = startMs, EndMs = endMs, CreatedMs = nowMs, UpdatedMs = nowMs, PhaseSinceMs = nowMs, Generation = 1,
                    Subnet = $"10.{100 + (c / 256)}.{c % 256}.0/24", NextReconcileMs = nowMs + (long)TimeSpan.FromDays(365).TotalMilliseconds, Version = 1,
                });
                foreach (var host in hostIds.OrderBy(_ => random.Next()).Take(ClaimsPerCluster))
                {
                    batchClaims.Add(new ClaimRecord
                    {
                        Id = $"{id}-{host}", ClusterId = id, HostId = host, StartMs = startMs, EndMs = endMs,
                        Cpus = random.Next(8, 33), MemoryMb = 64 * 1024, DiskMb = 20 * 1024,
                    });
                }
            }

            await db.SaveChangesAsync(); // the clusters first: the model has no navigation that would order the rows
            db.Claims.AddRange(batchClaims);
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
    }

    private static async Task<List<TimeSpan>> TimeAsync(int count, Func<int, Task> request)
    {
        var times = new List<TimeSpan>(count);
        for (var i = 0; i < count; i++)
        {
            var watch = Stopwatch.StartNew();
            await request(i);
            times.Add(watch.Elapsed);
        }

        return times;
    }

    private static TimeSpan Median(List<TimeSpan> times) => times.Order().ElementAt(times.Count / 2);

    private static TimeSpan P95(List<TimeSpan> times) => times.Order().ElementAt(Math.Min(times.Count - 1, (int)Math.Ceiling(times.Count * 0.95) - 1));

    private static string Ms(TimeSpan time) => $"{time.TotalMilliseconds:N0} ms";
}
