using System.Diagnostics;
using System.Globalization;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Testing;

namespace Vcm.Bench;

/// <summary>
/// Slurm clusters of Debian nodes on `vcm up --lab 1x3`: a head and N workers with `--role slurm` and an MPI package
/// set, timed from create to Ready and to the first `srun -NN hostname` that answers with every worker — what a
/// tenant waits for before the first job runs. The first cluster builds the layer (cold); the others boot from it.
/// </summary>
public sealed class SoftwareBench(IReadOnlyList<int> workers, string packages)
{
    public async Task<IReadOnlyList<string>> RunAsync()
    {
        using var data = new TempDirectory("vcm-bench-software");
        var (cli, up) = await BenchLab.StartAsync(data);
        await using var _ = up;

        var rows = new List<string>
        {
            "| cluster | layer | create → Ready | create → `srun -N` answers | slowest node's boot (uptime at phone-home) |",
            "|---|---|---|---|---|",
        };
        var runs = new List<(int Workers, bool Cold)> { (workers[0], true) };
        runs.AddRange(workers.Select(n => (n, false)));
        var round = 0;
        foreach (var (n, cold) in runs)
        {
            var name = $"s{round++}";
            var (ready, srun, uptime, layer) = await OneAsync(cli, name, n);
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| head + {n} workers | {(cold ? "built in this run" : "built before")}{layer} | {ready:0.0} s | {srun:0.0} s | {uptime:0.0} s |"));
            Console.Error.WriteLine($"bench: {rows[^1]}");
        }

        return rows;
    }

    private async Task<(double Ready, double Srun, double Uptime, string Layer)> OneAsync(VcmCli cli, string name, int workers)
    {
        using var client = VcmClient.Create(cli.Server, File.ReadAllText(Path.Combine(cli.DataDirectory, "admin.token")).Trim());
        var watch = Stopwatch.StartNew();
        await client.CreateClusterAsync(new ClusterSpecInput
        {
            Name = name, Workers = workers, Image = "debian-12", Role = "slurm", Memory = "1G", Disk = "3G", Policy = "spread",
            Packages = packages.Split(',', StringSplitOptions.RemoveEmptyEntries),
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
        double srun;
        while (true)
        {
            var result = await cli.RunAsync("ssh", name, "head", "--admin", "--", $"timeout 60 srun -N{workers} hostname | sort -u | wc -l");
            if (result.ExitCode == 0 && result.StandardOutput.Trim() == workers.ToString(CultureInfo.InvariantCulture))
            {
                srun = watch.Elapsed.TotalSeconds;
                break;
            }

            if (watch.Elapsed > TimeSpan.FromMinutes(20))
            {
                throw new TimeoutException($"srun on {name} did not answer: {result.StandardError}");
            }

            await Task.Delay(200);
        }

        var events = await client.ListEventsAsync(name, CancellationToken.None);
        var layer = events.LastOrDefault(e => e.Reason == "LayerReady")?.Message is { } message && message.Contains(" built in ", StringComparison.Ordinal)
            ? $" ({message[(message.IndexOf(" built in ", StringComparison.Ordinal) + 10)..].Split(':')[0]})"
            : "";
        var uptime = 0.0;
        foreach (var node in (await client.GetClusterAsync(name, nodes: true, CancellationToken.None)).Nodes!)
        {
            var console = await cli.RunAsync("node", "console", name, node.Name);
            var line = console.StandardOutput.Split('\n').LastOrDefault(l => l.StartsWith("[phone-home] sent at ", StringComparison.Ordinal));
            if (line is not null && double.TryParse(line["[phone-home] sent at ".Length..].TrimEnd('s', '\r'), CultureInfo.InvariantCulture, out var at))
            {
                uptime = Math.Max(uptime, at);
            }
        }

        await client.DeleteClusterAsync(name, CancellationToken.None);
        while ((await client.GetClusterAsync(name, nodes: false, CancellationToken.None)).Phase != "Released")
        {
            await Task.Delay(200);
        }

        return (ready, srun, uptime, layer);
    }
}
