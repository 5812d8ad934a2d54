using System.Diagnostics;
using System.Globalization;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Testing;

namespace Vcm.Bench;

/// <summary>
/// Debian clusters on `vcm up --lab 1x3`: a head and N workers with a package set, each way its packages can reach the
/// nodes (`--install layer`: a layer built once, every node booting a copy-on-write clone; `--install boot`: every
/// node installing them at boot from the site's package cache through the gateway, as the research systems did),
/// timed from create to Ready and, for `--role slurm`, to the first `srun -NN hostname` that answers with every
/// worker — what a tenant waits for before the first job runs. The first layer cluster builds the layer (cold); the
/// others boot from it. Ways alternate for each N, in one run.
/// </summary>
public sealed class SoftwareBench(IReadOnlyList<int> workers, string packages, string role, IReadOnlyList<string> ways)
{
    public async Task<IReadOnlyList<string>> RunAsync()
    {
        using var data = new TempDirectory("vcm-bench-software");
        var (cli, up) = await BenchLab.StartAsync(data);
        await using var _ = up;

        var slurm = role == "slurm";
        var rows = new List<string>
        {
            $"| cluster | how the packages get there | create → Ready |{(slurm ? " create → `srun -N` answers |" : "")} slowest node's boot (uptime at phone-home) |",
            $"|---|---|---|{(slurm ? "---|" : "")}---|",
        };
        var runs = new List<(int Workers, string Way, bool Cold)>();
        if (ways.Contains("layer"))
        {
            runs.Add((workers[0], "layer", true));
        }

        runs.AddRange(workers.SelectMany(n => ways.Select(w => (n, w, false))));
        var round = 0;
        foreach (var (n, way, cold) in runs)
        {
            var name = $"s{round++}";
            var (ready, srun, uptime, detail) = await OneAsync(cli, name, n, way, slurm);
            var how = way == "layer" ? $"layer, {(cold ? "built in this run" : "built before")}{detail}" : $"installed at boot{detail}";
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| head + {n} workers | {how} | {ready:0.0} s |{(slurm ? $" {srun:0.0} s |" : "")} {uptime:0.0} s |"));
            Console.Error.WriteLine($"bench: {rows[^1]}");
        }

        return rows;
    }

    private async Task<(double Ready, double Srun, double Uptime, string Detail)> OneAsync(VcmCli cli, string name, int workers, string way, bool slurm)
    {
        using var client = VcmClient.Create(cli.Server, File.ReadAllText(Path.Combine(cli.DataDirectory, "admin.token")).Trim());
        var watch = Stopwatch.StartNew();
        await client.CreateClusterAsync(new ClusterSpecInput
        {
            Name = name, Workers = workers, Image = "debian-12", Role = role, Install = way, Memory = "1G", Disk = "3G", Policy = "spread",
            Packages = packages.Split(',', StringSplitOptions.RemoveEmptyEntries), Duration = "3h",
        }, CancellationToken.None);
        ClusterView cluster;
        while ((cluster = await client.GetClusterAsync(name, nodes: false, CancellationToken.None)).Phase != "Ready")
        {
            if (cluster.Phase is "Failed" or "Released")
            {
                throw new InvalidOperationException($"cluster {name} is {cluster.Phase}: {cluster.Reason}");
            }

            await Task.Delay(100);
        }

        var ready = watch.Elapsed.TotalSeconds;
        var srun = 0.0;
        while (slurm)
        {
            var result = await cli.RunAsync("ssh", name, "head", "--admin", "--", $"timeout 60 srun -N{workers} hostname | sort -u | wc -l");
            if (result.ExitCode == 0 && result.StandardOutput.Trim() == workers.ToString(CultureInfo.InvariantCulture))
            {
                srun = watch.Elapsed.TotalSeconds;
                break;
            }

            if (watch.Elapsed > TimeSpan.FromMinutes(30))
            {
                throw new TimeoutException($"srun on {name} did not answer: {result.StandardError}");
            }

            await Task.Delay(200);
        }

        var events = await client.ListEventsAsync(name, CancellationToken.None);
        var detail = events.LastOrDefault(e => e.Reason == "LayerReady")?.Message is { } message && message.Contains(" built in ", StringComparison.Ordinal)
            ? $" ({message[(message.IndexOf(" built in ", StringComparison.Ordinal) + 10)..].Split(' ')[0]} s)"
            : "";
        var uptime = 0.0;
        var installs = new List<double>();
        foreach (var node in (await client.GetClusterAsync(name, nodes: true, CancellationToken.None)).Nodes!)
        {
            var console = (await cli.RunAsync("node", "console", name, node.Name)).StandardOutput.Split('\n');
            if (At(console, "[phone-home] sent at ") is { } at)
            {
                uptime = Math.Max(uptime, at);
            }

            var installed = console.LastOrDefault(l => l.StartsWith("[packages] installed ", StringComparison.Ordinal));
            if (installed is not null && installed.Split(' ').FirstOrDefault(w => w.EndsWith('s') && double.TryParse(w.TrimEnd('s'), CultureInfo.InvariantCulture, out _)) is { } took)
            {
                installs.Add(double.Parse(took.TrimEnd('s'), CultureInfo.InvariantCulture));
            }
        }

        if (installs.Count > 0)
        {
            detail = string.Create(CultureInfo.InvariantCulture, $" (apt on each node {installs.Min():0}–{installs.Max():0} s)");
        }

        await client.DeleteClusterAsync(name, CancellationToken.None);
        while ((await client.GetClusterAsync(name, nodes: false, CancellationToken.None)).Phase != "Released")
        {
            await Task.Delay(200);
        }

        return (ready, srun, uptime, detail);
    }

    private static double? At(IEnumerable<string> console, string prefix) =>
        console.LastOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) is { } line
        && double.TryParse(line[prefix.Length..].TrimEnd('s', '\r'), CultureInfo.InvariantCulture, out var at) ? at : null;
}
