using System.Globalization;
using Vcm.Agent.Linux.Images.Layers;
using Vcm.Domain.Packages;
using Vcm.Drivers.Processes;
using Vcm.Testing;

namespace Vcm.Bench;

/// <summary>
/// The cost model's layer-build prediction on held-out builds: real layers of debian-12 built here (a copy of the test
/// images' store, the site's package cache shared with it) for random package sets drawn from a pool of common
/// packages; each build's time predicted by <see cref="BuildFit"/> fitted to all the other builds (leave one out),
/// against the time it really took.
/// </summary>
public sealed class CostModelBench(int builds, int seed)
{
    private static readonly string[] Pool =
    [
        "hello", "jq", "curl", "git", "vim-tiny", "python3", "gcc", "make", "openmpi-bin", "libopenmpi-dev", "gfortran",
        "cmake", "htop", "tmux", "rsync", "zip", "unzip", "bc", "gdb", "valgrind", "libblas-dev", "liblapack-dev", "perl",
        "ruby", "sqlite3", "strace", "lsof", "file", "patch", "bzip2", "xz-utils", "pkg-config", "autoconf", "automake",
        "libtool", "python3-numpy", "munge", "slurmd", "hwloc", "numactl",
    ];

    public async Task<IReadOnlyList<string>> RunAsync(CancellationToken cancellationToken)
    {
        using var store = new TempDirectory("vcm-bench-costs");
        var source = BenchLab.Images;
        (await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("cp", "-a", "--reflink=auto", Path.Combine(source, "debian-12"), store.Path), cancellationToken)).EnsureSuccess();
        Directory.CreateDirectory(Path.Combine(store.Path, ".cache"));
        var debs = Path.Combine(source, ".cache", "debs");
        Directory.CreateDirectory(debs);
        File.CreateSymbolicLink(Path.Combine(store.Path, ".cache", "debs"), debs);
        var layers = new DebianLayers(store.Path, ProcessRunner.Instance);

        var random = new Random(seed);
        var samples = new List<(string Set, BuildSample Sample)>();
        while (samples.Count < builds)
        {
            var set = Pool.OrderBy(_ => random.Next()).Take(random.Next(1, 13)).Order(StringComparer.Ordinal).ToList();
            var resolution = await layers.ResolveAsync("debian-12", set, cancellationToken);
            if (resolution.Plan is not { } plan || plan.Layer == plan.Image || samples.Any(s => s.Set == string.Join(',', set)))
            {
                continue;
            }

            var build = await layers.EnsureAsync(plan, _ => { }, cancellationToken);
            samples.Add((string.Join(',', set), new BuildSample(plan.Installs.Count, build.Bytes, build.Seconds, plan.InstalledKib)));
            Console.Error.WriteLine($"bench: build {samples.Count}: {plan.Installs.Count} packages, {build.Bytes >> 20} MiB, {build.Seconds:0.0} s ({samples[^1].Set})");
        }

        var defaults = new CostDefaults();
        var rows = new List<string>
        {
            "| build | packages installed | MiB unpacked | layer MiB | actual | predicted by count (fit to the other builds) | error | predicted by count and size | error |",
            "|---|---|---|---|---|---|---|---|---|",
        };
        var byCount = new List<double>();
        var bySize = new List<double>();
        for (var i = 0; i < samples.Count; i++)
        {
            var others = samples.Where((_, j) => j != i).Select(s => s.Sample).ToList();
            var sample = samples[i].Sample;
            var count = BuildFit.Of(others.Select(s => s with { InstalledKib = 0 }).ToList(), defaults).Seconds(sample.Packages);
            var sized = BuildFit.Of(others, defaults).Seconds(sample.Packages, sample.InstalledKib);
            byCount.Add(Math.Abs(count - sample.Seconds) / sample.Seconds);
            bySize.Add(Math.Abs(sized - sample.Seconds) / sample.Seconds);
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {i + 1} ({samples[i].Set}) | {sample.Packages} | {sample.InstalledKib >> 10} | {sample.Bytes >> 20} | {sample.Seconds:0.0} s | {count:0.0} s | {byCount[^1] * 100:0}% | {sized:0.0} s | {bySize[^1] * 100:0}% |"));
        }

        rows.Add(string.Create(CultureInfo.InvariantCulture,
            $"| **median error** | | | | | | **{Median(byCount) * 100:0}%** (max {byCount.Max() * 100:0}%) | | **{Median(bySize) * 100:0}%** (max {bySize.Max() * 100:0}%) |"));
        var all = BuildFit.Of(samples.Select(s => s.Sample).ToList(), defaults);
        rows.Add("");
        rows.Add($"Fit to all {samples.Count} builds: {all}.");
        return rows;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
