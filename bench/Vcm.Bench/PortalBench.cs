using System.Diagnostics;
using Microsoft.Playwright;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Manager.Auth;
using Vcm.Testing;
using static Vcm.Bench.Quantiles;

namespace Vcm.Bench;

/// <summary>
/// The portal at scale: `vcm up --sim H` (the manager in its own process, serving the portal; the sim's hosts of 32 cpus / 128G)
/// holding <paramref name="clusters"/> clusters of <paramref name="nodes"/> nodes in all, made through the API by one
/// tenant's member, who signs in to the portal in headless Debian chromium. Measured: the landing page and the biggest
/// cluster's page from navigation start until their tables hold every row; a delete made through the API until the
/// cluster page and the landing page show the phase change (pushed over SSE); and the manager's CPU time over fixed
/// windows of builds, without and with <paramref name="watchers"/> watch streams connected.
/// </summary>
public sealed class PortalBench(int clusters, int nodes, int watchers, int rounds, int hosts, TimeSpan window)
{
    private const string Tenant = "bench";
    private const string Owner = "owner";
    private const string Password = "a long enough bench secret";
    private const int ChurnNodes = 10;

    private static readonly CancellationToken Ct = CancellationToken.None;

    public async Task<IReadOnlyList<string>> RunAsync()
    {
        using var data = new TempDirectory("vcm-bench-portal");
        var (up, cli) = await SimUp.StartAsync(data.Path, hosts);
        await using (up)
        {
            using var admin = VcmClient.Create(cli.Server, (await File.ReadAllTextAsync(Path.Combine(data.Path, AdminToken.FileName))).Trim(), TimeSpan.FromMinutes(10));
            await admin.CreateTenantAsync(new TenantCreateRequest(Tenant, TenancyBench.Quota), Ct);
            await admin.CreateUserAsync(new UserCreateRequest(Owner, Tenant, "member", null), Ct);
            await admin.SetPasswordAsync(Owner, Password, Ct);
            var token = await admin.CreateTokenAsync(new TokenCreateRequest(Owner, "bench", null), Ct);
            using var owner = VcmClient.Create(cli.Server, token.Secret!, TimeSpan.FromMinutes(10));

            var sizes = Sizes();
            var filled = Stopwatch.StartNew();
            await FillAsync(owner, sizes);
            filled.Stop();
            Console.Error.WriteLine($"bench: {clusters} clusters, {sizes.Sum()} nodes Ready in {filled.Elapsed.TotalSeconds:N0} s");

            await using var browser = await PortalBrowser.SignInAsync(cli.Server, Owner, Password);
            Console.Error.WriteLine("bench: first render of the landing page and of the biggest cluster's page");
            var landing = await RenderAsync(browser, "/", "table.clusters tbody tr", clusters);
            var clusterPage = await RenderAsync(browser, "/clusters/c-000", "table.nodes tbody tr", sizes[0]);
            Console.Error.WriteLine("bench: live updates");
            var (deleteAnswered, onClusterPage, onLanding) = await LiveAsync(browser, owner);
            Console.Error.WriteLine("bench: the manager's CPU over windows of builds");
            var cpu = await CpuAsync(up.Pid, cli.Server, owner);
            return Table(sizes, filled.Elapsed, landing, clusterPage, deleteAnswered, onClusterPage, onLanding, cpu);
        }
    }

    /// <summary>Nodes per cluster: c-000 has a tenth of them (the cluster page's), the rest share the others evenly (at least 2 each).</summary>
    private List<int> Sizes()
    {
        var big = Math.Max(2, nodes / 10);
        var others = clusters - 1;
        var rest = Math.Max(others * 2, nodes - big);
        return [big, .. Enumerable.Range(0, others).Select(i => (rest / others) + (i < rest % others ? 1 : 0))];
    }

    /// <summary>Creates the clusters (25 requests at a time) and waits until all are Ready.</summary>
    private static async Task FillAsync(VcmClient owner, List<int> sizes)
    {
        var names = sizes.Select((_, i) => $"c-{i:000}").ToList();
        foreach (var batch in names.Chunk(25))
        {
            await Task.WhenAll(batch.Select(name => owner.CreateClusterAsync(
                new ClusterSpecInput { Name = name, Workers = sizes[names.IndexOf(name)] - 1, Duration = "4h", Policy = "spread" }, Ct)));
        }

        await ClusterPolls.WaitAsync(owner, names, "Ready", all: false);
    }

    /// <summary>One unrecorded load (the browser's cache warm), then the recorded rounds, in milliseconds.</summary>
    private async Task<List<double>> RenderAsync(PortalBrowser browser, string path, string selector, int rows)
    {
        await browser.TimeToRowsAsync(path, selector, rows);
        var times = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            times.Add(await browser.TimeToRowsAsync(path, selector, rows));
        }

        return times;
    }

    /// <summary>
    /// Each round: a 2-node cluster live-N made and Ready, its page and the landing page open and showing it Ready;
    /// then DELETE through the API, timed from just before the request until each page's DOM no longer shows it
    /// Ready (Releasing, Released or gone), and until the API answered.
    /// </summary>
    private async Task<(List<double> Answered, List<double> ClusterPage, List<double> Landing)> LiveAsync(PortalBrowser browser, VcmClient owner)
    {
        var (answered, onCluster, onLanding) = (new List<double>(), new List<double>(), new List<double>());
        var landing = await browser.OpenAsync("/", $"() => document.querySelectorAll('table.clusters tbody tr').length >= {clusters}");
        try
        {
            for (var round = 0; round <= rounds; round++)
            {
                var name = $"live-{round:00}";
                await owner.CreateClusterAsync(new ClusterSpecInput { Name = name, Workers = 1, Duration = "4h" }, Ct);
                await ClusterPolls.WaitAsync(owner, [name], "Ready", all: false);
                var row = $"document.querySelector('tr[data-cluster=\"{name}\"] .phase')";
                await landing.WaitForFunctionAsync($"() => {row}?.textContent === 'Ready'", null, new PageWaitForFunctionOptions { PollingInterval = 20 });
                var page = await browser.OpenAsync($"/clusters/{name}", "() => document.querySelector('.phase')?.textContent === 'Ready'");
                try
                {
                    await PortalBrowser.ArmAsync(page, "() => document.querySelector('.phase')?.textContent !== 'Ready' || document.querySelector('p.error[role=status]') !== null");
                    await PortalBrowser.ArmAsync(landing, $"() => {row}?.textContent !== 'Ready'");
                    var sent = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                    await owner.DeleteClusterAsync(name, Ct);
                    var done = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                    var shownOnPage = await PortalBrowser.ShownAtAsync(page);
                    var shownOnLanding = await PortalBrowser.ShownAtAsync(landing);
                    if (round > 0)
                    {
                        // round 0 warms the path up and is not recorded
                        answered.Add(done - sent);
                        onCluster.Add(shownOnPage - sent);
                        onLanding.Add(shownOnLanding - sent);
                    }
                }
                finally
                {
                    await page.CloseAsync();
                }
            }
        }
        finally
        {
            await landing.CloseAsync();
        }

        return (answered, onCluster, onLanding);
    }

    /// <summary>
    /// Windows of the same builds (<see cref="PortalChurn"/>): one unrecorded (the manager's code paths warm), then
    /// alternately none and <paramref name="watchers"/> watch streams, twice each; the manager process's CPU time over
    /// each window (from /proc).
    /// </summary>
    private async Task<List<CpuWindow>> CpuAsync(int managerPid, string server, VcmClient owner)
    {
        var churn = new PortalChurn(owner, ChurnNodes);
        var windows = new List<CpuWindow>();
        foreach (var streams in new[] { -1, 0, watchers, 0, watchers })
        {
            var connected = new List<SseWatcher>();
            try
            {
                foreach (var batch in Enumerable.Range(0, Math.Max(0, streams)).Chunk(10))
                {
                    connected.AddRange(await Task.WhenAll(batch.Select(_ => SseWatcher.ConnectAsync(server, Owner, Password, "/api/v1/watch", Ct))));
                }

                await Task.Delay(TimeSpan.FromSeconds(3));
                var before = ProcessCpu.Of(managerPid);
                var made = await churn.RunAsync($"w{windows.Count}-{Math.Max(0, streams)}", window, Ct);
                var cpu = ProcessCpu.Of(managerPid) - before;
                var events = connected.Sum(w => w.Events);
                Console.Error.WriteLine($"bench: {(streams < 0 ? "warm-up" : $"{streams} watchers")}: {cpu.TotalSeconds:N2} s of CPU in {window.TotalSeconds:N0} s, {events} events to the watchers");
                if (streams >= 0)
                {
                    windows.Add(new CpuWindow(streams, cpu, events, made.Count));
                }

                await churn.ReleaseAsync(made, Ct);
            }
            finally
            {
                foreach (var watcher in connected)
                {
                    await watcher.DisposeAsync();
                }
            }
        }

        return windows;
    }

    private IReadOnlyList<string> Table(
        List<int> sizes, TimeSpan filled, List<double> landing, List<double> clusterPage, List<double> answered, List<double> onClusterPage, List<double> onLanding,
        List<CpuWindow> cpu)
    {
        static string Ms(double ms) => $"{ms:N0} ms";
        var quiet = cpu.Where(w => w.Streams == 0).Average(w => w.Cpu.TotalSeconds);
        var watched = cpu.Where(w => w.Streams > 0).Select(w => w.Cpu.TotalSeconds).DefaultIfEmpty(quiet).Average();
        var perHundred = watchers > 0 ? (watched - quiet) * 100 / watchers : 0;
        var lines = new List<string>
        {
            $"{clusters:N0} clusters with {sizes.Sum():N0} nodes in all (c-000 has {sizes[0]:N0}, the others {sizes[^1]}–{sizes[1]}), made through the API by one tenant's member " +
            $"(all Ready in {filled.TotalSeconds:N0} s, 25 creates at a time) on `vcm up --sim {hosts}` (hosts of 32 cpus / 128G, zero driver latency); " +
            $"the member signed in to the portal in headless Debian chromium (Playwright, the portal tests' flags). Medians and p95 of {rounds} rounds after one unrecorded.",
            "",
            "| what | median | p95 |",
            "|---|---|---|",
            $"| landing page: navigation start → the clusters table holds all {clusters:N0} rows | **{Ms(Median(landing))}** | {Ms(P95(landing))} |",
            $"| cluster page of c-000: navigation start → the nodes table holds all {sizes[0]:N0} rows | **{Ms(Median(clusterPage))}** | {Ms(P95(clusterPage))} |",
            $"| a 2-node cluster deleted through the API: DELETE sent → answered | {Ms(Median(answered))} | {Ms(P95(answered))} |",
            $"| … DELETE sent → its cluster page shows the phase change (SSE) | **{Ms(Median(onClusterPage))}** | {Ms(P95(onClusterPage))} |",
            $"| … DELETE sent → the landing page ({clusters + 1:N0} rows) shows it (SSE) | **{Ms(Median(onLanding))}** | {Ms(P95(onLanding))} |",
            "",
            "Times in the page: a MutationObserver notes performance.now() (render; from navigation start) or Date.now() (live update; the bench's clock, same machine) " +
            "the first time the DOM holds the rows or no longer shows the cluster Ready; painting is not included.",
            "",
            $"The manager's CPU (the `vcm up` process, /proc/PID/stat utime + stime; its agent is another process) over {window.TotalSeconds:N0} s windows of builds: " +
            $"a {ChurnNodes}-node cluster created every second by the member and deleted 5 s later, on top of the {clusters:N0} Ready clusters. " +
            "Each watcher is its own browser session (POST /api/v1/session, web) and then exactly the request an EventSource makes for the landing page's " +
            "`GET /api/v1/watch` (Accept: text/event-stream, Cache-Control: no-cache, the session cookie), read as it arrives, by the bench's process (not the manager's).",
            "",
            "| window (in order; one unrecorded before) | watch streams | manager CPU | share of one core | events sent to the watchers | clusters made |",
            "|---|---|---|---|---|---|",
        };
        lines.AddRange(cpu.Select((w, i) =>
            $"| {i + 1} | {w.Streams} | {w.Cpu.TotalSeconds:N2} s | {w.Cpu.TotalSeconds / window.TotalSeconds:P0} | {w.Events:N0} | {w.Made} |"));
        lines.Add("");
        lines.Add($"**Manager CPU per 100 connected browsers watching builds: {perHundred:N2} s per {window.TotalSeconds:N0} s " +
            $"({perHundred / window.TotalSeconds:P1} of one core)** — the mean of the windows with watchers less the mean of those without" +
            (watchers == 100 ? "." : $", scaled from {watchers} to 100 watchers.") +
            " The machine's 2 cores are shared with the bench, chromium and other work: compare windows of one run.");
        return lines;
    }
}
