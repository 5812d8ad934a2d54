using System.CommandLine;
using System.Globalization;
using Vcm.Api;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Sites;

/// <summary>vcm capacity [--from T] [--to T] [--step D] [--cpus N [--memory M] [--disk D]]: the site's free capacity over time.</summary>
public static class CapacityCommand
{
    public static Command Create()
    {
        var from = new Option<string?>("--from") { Description = "From when (now, or an ISO 8601 time; default now)." };
        var to = new Option<string?>("--to") { Description = "Until when (ISO 8601; default a day after --from)." };
        var step = new Option<string?>("--step") { Description = "The step, like 15m, 1h or 1d (default 1h)." };
        var cpus = new Option<int?>("--cpus") { Description = "Count how many nodes of this many CPUs (with --memory, --disk) fit in each step." };
        var memory = new Option<string?>("--memory") { Description = "The counted node's memory (default 512M)." };
        var disk = new Option<string?>("--disk") { Description = "The counted node's disk (default 2G)." };
        var fit = new Option<string?>("--fit") { Description = "Instead: where a request fits, written as `cluster create` takes it, like \"--workers 8 --cpus 4 --memory 8G\" (with --for; --to defaults to 7 days after --from)." };
        var duration = new Option<string?>("--for") { Description = "With --fit: how long the request is, like 3h (default 1h)." };
        var peers = new Option<bool>("--peers") { Description = "Each peer site's capacity over the same steps too." };
        var command = new Command("capacity", "The site's free capacity over time: what stays free through each step, and how many nodes of a shape fit; with --fit, where a request fits.")
        {
            from, to, step, cpus, memory, disk, peers, fit, duration,
        };
        command.SetAction(async (cli, ct) =>
        {
            if (cli.Get(fit) is { } shape)
            {
                return await FitAsync(cli, shape, cli.Get(from), cli.Get(to), cli.Get(duration), ct);
            }

            var timeline = await cli.Client().GetCapacityAsync(cli.Get(from), cli.Get(to), cli.Get(step), cli.Get(cpus), cli.Get(memory), cli.Get(disk), cli.Get(peers), ct);
            if (cli.Json)
            {
                cli.WriteJson(timeline);
                return ExitCodes.Ok;
            }

            Print(timeline);
            foreach (var peer in timeline.Peers ?? [])
            {
                Console.Out.WriteLine();
                if (peer.Capacity is { } capacity)
                {
                    Print(capacity);
                }
                else
                {
                    Console.Out.WriteLine($"site {peer.Site}: no answer: {peer.Error}");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>One site's steps; with a tenant, its quota headroom beside them ("-" where a quota sets no limit).</summary>
    private static void Print(CapacityTimelineView timeline)
    {
        var quota = timeline.Tenant is not null;
        Console.Out.WriteLine($"site {timeline.Site}, free through each {timeline.Step}{(timeline.Shape is null ? "" : $"; nodes of {timeline.Shape}")}"
            + (quota ? $"; tenant {timeline.Tenant}'s quota left" : "") + ":");
        var header = new List<string> { "from", "cpus", "memory", "disk" };
        if (timeline.Shape is not null)
        {
            header.Add("nodes");
        }

        if (quota)
        {
            header.AddRange(timeline.Shape is null ? ["quota-vcpus", "quota-memory", "quota-nodes"] : ["quota-vcpus", "quota-memory", "quota-nodes", "nodes-in-quota"]);
        }

        Table.Write(header, timeline.Steps.Select(s =>
        {
            var row = new List<string> { s.Start.ToString("u", CultureInfo.InvariantCulture), Number(s.Cpus), s.Memory, s.Disk };
            if (timeline.Shape is not null)
            {
                row.Add(Number(s.Nodes));
            }

            if (s.Quota is { } q)
            {
                row.AddRange([Number(q.Vcpus), q.Memory ?? "-", Number(q.Nodes)]);
                if (timeline.Shape is not null)
                {
                    row.Add(Number(q.NodesOfShape));
                }
            }

            return row.ToArray();
        }));
    }

    private static string Number(long? n) => n?.ToString(CultureInfo.InvariantCulture) ?? "-";

    /// <summary>vcm capacity --fit "--workers N [--cpus C] [--memory M] [--disk D] [--no-head]" --for D: the runs of starts at which the request fits.</summary>
    private static async Task<int> FitAsync(Invocation cli, string shape, string? from, string? to, string? duration, CancellationToken ct)
    {
        var workers = new Option<long>("--workers", "-n") { Required = true };
        var cpus = new Option<long?>("--cpus");
        var memory = new Option<string?>("--memory");
        var disk = new Option<string?>("--disk");
        var noHead = new Option<bool>("--no-head");
        var request = new RootCommand { workers, cpus, memory, disk, noHead };
        var parsed = request.Parse(shape);
        if (parsed.Errors.Count > 0)
        {
            throw new CliException($"--fit \"{shape}\" is not a request: {parsed.Errors[0].Message.TrimEnd('.')} (it takes --workers, --cpus, --memory, --disk and --no-head).", ExitCodes.Usage);
        }

        var windows = await cli.Client().GetFitAsync(
            from, to, parsed.GetValue(workers), parsed.GetValue(noHead) ? false : null, parsed.GetValue(cpus), parsed.GetValue(memory), parsed.GetValue(disk), duration, ct);
        if (cli.Json)
        {
            cli.WriteJson(windows);
            return ExitCodes.Ok;
        }

        Console.Out.WriteLine(windows.Windows.Count == 0
            ? $"site {windows.Site}: the request ({windows.Duration}) fits at no start from {windows.From:u} to {windows.To:u}."
            : $"site {windows.Site}: the request ({windows.Duration}) fits for any start in:");
        foreach (var window in windows.Windows)
        {
            Console.Out.WriteLine(window.FirstStart == window.LastStart
                ? $"  {window.FirstStart:u}"
                : $"  {window.FirstStart:u} … {window.LastStart:u}");
        }

        return ExitCodes.Ok;
    }
}
