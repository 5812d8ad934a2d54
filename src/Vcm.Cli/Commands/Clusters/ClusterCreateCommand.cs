using System.CommandLine;
using Vcm.Api;
using Vcm.Cli.Infrastructure;
using Vcm.Domain.Clusters;
using Vcm.Domain.Series;

namespace Vcm.Cli.Commands.Clusters;

/// <summary>vcm cluster create NAME --workers N …</summary>
public static class ClusterCreateCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The cluster's name (lower-case letters, digits, '-')." };
        var workers = new Option<int>("--workers", "-n") { Description = "How many worker nodes.", Required = true };
        var cpus = new Option<int?>("--cpus") { Description = "CPUs per node (default 1)." };
        var memory = new Option<string?>("--memory") { Description = "Memory per node, like 512M or 2G (default 512M)." };
        var disk = new Option<string?>("--disk") { Description = "Disk per node, like 2G (default 2G)." };
        var shared = new Option<string?>("--shared") { Description = "A shared volume of this size on the head node (iSCSI)." };
        var image = new Option<string?>("--image") { Description = "The base image (default micro)." };
        var packages = new Option<string?>("--packages") { Description = "Debian packages to have on every node, comma-separated." };
        var role = new Option<string?>("--role") { Description = "What the cluster is inside: none (default) or slurm (the head a Slurm controller, the workers Slurm nodes; needs a Debian image)." };
        var install = new Option<string?>("--install") { Description = "How the packages reach the nodes: auto (default: the cost model's cheapest way), layer (a layer holding them), or boot (installed at boot from the site's package cache)." };
        var files = new Option<string[]>("--file") { Description = "LOCAL:REMOTE: put a local file onto the head node at the absolute path REMOTE during the build (may be given more than once).", AllowMultipleArgumentsPerToken = false };
        var sshKeys = new Option<string[]>("--ssh-key") { Description = "A public key file (may be given more than once).", AllowMultipleArgumentsPerToken = false };
        var start = new Option<string?>("--start") { Description = "now (default) or a time like 2026-12-01T09:00:00Z." };
        var between = StartBetween.Option();
        var end = new Option<string?>("--end") { Description = "The end time." };
        var duration = new Option<string?>("--for") { Description = "How long, like 2h or 7d (default 1h), instead of --end." };
        var policy = new Option<string?>("--policy") { Description = "pack (few hosts, default) or spread (many hosts)." };
        var sites = new Option<string?>("--sites") { Description = "Sites and node counts, like a:2,b:3 (the head is at the first, this site); without counts, the sites it may use. Default: this site, spilling over to peers only what does not fit." };
        var wanRate = new Option<string?>("--wan-rate") { Description = "A rate limit for the cluster's VPN between sites, like 100M (Mbit/s)." };
        var subnet = new Option<string?>("--subnet") { Description = "The cluster's private subnet, like 10.20.0.0/24." };
        var noHead = new Option<bool>("--no-head") { Description = "No head node; workers only." };
        var wait = new Option<bool>("--wait") { Description = "Show progress and return when the cluster is Ready (or failed)." };
        var timeout = new Option<string?>("--timeout") { Description = "How long --wait waits at most (default 30m)." };
        var idempotencyKey = new Option<string?>("--idempotency-key") { Description = "Repeating a create with the same key returns the first result." };
        var (repeat, timeZone, allowPartial) = (Repeat.RuleOption(), Repeat.TimeZoneOption(), Repeat.AllowPartialOption());

        var command = new Command("create", "Reserve a virtual cluster; admitted only if capacity exists for its whole window.")
        {
            name, workers, cpus, memory, disk, shared, image, packages, install, role, files, sshKeys, start, between, end, duration, policy, sites, wanRate, subnet, noHead, wait, timeout, idempotencyKey, repeat, timeZone, allowPartial,
        };
        command.SetAction(async (cli, ct) =>
        {
            var (startAt, latestStart) = StartBetween.Window(cli.Get(start), cli.Get(between));
            var request = new SeriesInput
            {
                Name = cli.Get(name),
                Workers = cli.Get(workers),
                Head = cli.Get(noHead) ? false : null,
                Cpus = cli.Get(cpus),
                Memory = cli.Get(memory),
                Disk = cli.Get(disk),
                Shared = cli.Get(shared),
                Image = cli.Get(image),
                Packages = List(cli.Get(packages)),
                SshKeys = ReadKeys(cli.Get(sshKeys) ?? []),
                Role = cli.Get(role),
                Install = cli.Get(install),
                Files = ReadFiles(cli.Get(files) ?? []),
                Start = startAt,
                LatestStart = latestStart,
                End = cli.Get(end),
                Duration = cli.Get(duration),
                Policy = cli.Get(policy),
                Sites = List(cli.Get(sites)),
                Subnet = cli.Get(subnet),
                WanRate = cli.Get(wanRate),
                Repeat = cli.Get(repeat),
                TimeZone = cli.Get(timeZone),
                AllowPartial = cli.Get(allowPartial) ? true : null,
            };
            var waitFor = ParseTimeout(cli.Get(timeout));
            var client = cli.Client();
            if (Repeat.Check(request, cli.Get(wait), cli.Get(idempotencyKey)))
            {
                return await Repeat.CreateAsync(cli, client, request, ct);
            }

            var created = await client.CreateClusterAsync(request, ct, cli.Get(idempotencyKey));
            if (cli.Get(wait))
            {
                await ClusterWaiter.WaitForAsync(client, created.Name, nameof(ClusterPhase.Ready), waitFor, ct);
                created = await client.GetClusterAsync(created.Name, nodes: true, ct);
            }

            if (cli.Json)
            {
                cli.WriteJson(created);
            }
            else
            {
                if (latestStart is not null)
                {
                    Console.Out.WriteLine(StartBetween.Chosen(created, cli.Get(between)!));
                }

                ClusterPrinter.Summary(created);
                if (created.Nodes is { Count: > 0 } nodes && nodes.Count <= 50)
                {
                    Console.Out.WriteLine();
                    ClusterPrinter.Nodes(nodes);
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    internal static TimeSpan ParseTimeout(string? text)
    {
        if (text is null)
        {
            return TimeSpan.FromMinutes(30);
        }

        return Domain.Common.DurationText.TryParse(text, out var span) && span > TimeSpan.Zero
            ? span
            : throw new CliException($"--timeout '{text}' is not a duration like 90s, 10m or 2h", ExitCodes.Usage);
    }

    private static List<string>? List(string? text) =>
        text is null ? null : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    /// <summary>Each LOCAL:REMOTE read into a file of the request, its mode taken from the local file (0755 if executable, else 0644).</summary>
    private static List<ClusterFileInput>? ReadFiles(string[] pairs)
    {
        if (pairs.Length == 0)
        {
            return null;
        }

        var files = new List<ClusterFileInput>(pairs.Length);
        foreach (var pair in pairs)
        {
            var colon = pair.LastIndexOf(':');
            if (colon <= 0 || colon == pair.Length - 1)
            {
                throw new CliException($"--file '{pair}' is not LOCAL:REMOTE, like hello.c:/home/hello.c", ExitCodes.Usage);
            }

            var local = pair[..colon];
            if (!File.Exists(local))
            {
                throw new CliException($"The file {local} given with --file does not exist", ExitCodes.Usage);
            }

            var executable = !OperatingSystem.IsWindows() && (File.GetUnixFileMode(local) & UnixFileMode.UserExecute) != 0;
            files.Add(new ClusterFileInput
            {
                Path = pair[(colon + 1)..],
                Mode = executable ? "0755" : "0644",
                Content = Convert.ToBase64String(File.ReadAllBytes(local)),
            });
        }

        return files;
    }

    private static List<string>? ReadKeys(string[] files)
    {
        if (files.Length == 0)
        {
            return null;
        }

        var keys = new List<string>();
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                throw new CliException($"The SSH key file {file} does not exist", ExitCodes.Usage);
            }

            keys.AddRange(File.ReadAllLines(file).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')));
        }

        return keys;
    }
}
