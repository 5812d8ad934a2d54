using System.Globalization;
using System.Text.RegularExpressions;
using Vcm.Domain.Common;
using Vcm.Domain.Networking;
using Vcm.Domain.Sizes;

namespace Vcm.Domain.Clusters;

/// <summary>
/// Turns a <see cref="ClusterSpecInput"/> into a <see cref="ClusterSpec"/>, or lists every problem with it.
/// Pure: the clock and the known images and sites come in through <see cref="SpecContext"/>.
/// </summary>
public static partial class ClusterSpecParser
{
    public static SpecParseResult Parse(ClusterSpecInput input, SpecContext context)
    {
        var problems = new List<Problem>();

        var name = ParseName(input.Name, problems);
        var workers = ParseCount("workers", input.Workers, 1, SpecLimits.MaxWorkers, required: true, 0, problems);
        var cpus = ParseCount("cpus", input.Cpus, 1, SpecLimits.MaxCpus, required: false, SpecLimits.DefaultCpus, problems);
        var memory = ParseSize("memory", input.Memory, SpecLimits.DefaultMemory, SpecLimits.MinMemory, SpecLimits.MaxMemory, problems);
        var disk = ParseSize("disk", input.Disk, SpecLimits.DefaultDisk, SpecLimits.MinDisk, SpecLimits.MaxDisk, problems);
        var shared = ParseShared(input.Shared, problems);
        var image = ParseImage(input.Image, context, problems);
        var packages = ParsePackages(input.Packages, problems);
        var keys = SshPublicKey.ParseAll(input.SshKeys, "sshKeys", problems);
        var role = ParseRole(input.Role, problems);
        if (role == ClusterRole.Slurm && input.Head == false)
        {
            problems.Add(new Problem("role", "slurm needs the head node for its controller; leave --no-head out"));
        }

        var files = ParseFiles(input.Files, input.Head ?? true, problems);
        var install = ParseInstall(input.Install, problems);
        var windowProblems = problems.Count;
        var (start, end) = ParseWindow(input, context.Now, problems);
        var latestStart = ParseLatestStart(input, start, context.Now, problems);
        if (problems.Skip(windowProblems).All(p => p.Field is not ("start" or "end" or "duration" or "latestStart")))
        {
            problems.AddRange(context.Limits.Check(start, end, context.Now, input.End is not null && input.Duration is null ? "end" : "duration"));
            if (latestStart is { } furthest && context.Limits.MaxAdvance is { } advance && furthest - context.Now > advance)
            {
                problems.Add(new Problem("latestStart", $"is {DurationText.Format(furthest - context.Now)} ahead; this site takes reservations at most {DurationText.Format(advance)} ahead"));
            }
        }

        var sites = ParseSites(input.Sites, context, workers + ((input.Head ?? true) ? 1 : 0), problems);
        var wanRate = ParseWanRate(input.WanRate, problems);
        var policy = ParsePolicy(input.Policy, problems);
        var head = input.Head ?? true;
        var subnet = ParseSubnet(input.Subnet, workers + (head ? 1 : 0), context, problems);

        if (problems.Count > 0)
        {
            return new SpecParseResult(null, problems);
        }

        var spec = new ClusterSpec
        {
            Name = name!,
            Workers = workers,
            Head = head,
            Cpus = cpus,
            Memory = memory,
            Disk = disk,
            Shared = shared,
            Image = image!,
            Packages = packages,
            SshKeys = keys,
            Role = role,
            Files = files,
            Install = install,
            Start = WholeMilliseconds(start),
            End = WholeMilliseconds(end),
            Sites = sites,
            Policy = policy,
            Subnet = subnet!,
            WanRate = wanRate,
        };
        return new SpecParseResult(spec, [], latestStart is { } latest ? WholeMilliseconds(latest) : null);
    }

    private static string? ParseName(string? name, List<Problem> problems)
    {
        if (string.IsNullOrEmpty(name))
        {
            problems.Add(new Problem("name", "is required"));
            return null;
        }

        if (name.Length > SpecLimits.MaxNameLength)
        {
            problems.Add(new Problem("name", $"is {name.Length} characters long; at most {SpecLimits.MaxNameLength} are allowed"));
            return null;
        }

        if (!NamePattern().IsMatch(name))
        {
            problems.Add(new Problem("name", $"'{name}' is not a valid name; use lower-case letters, digits and '-', starting with a letter and not ending with '-'"));
            return null;
        }

        return name;
    }

    private static int ParseCount(string field, long? value, int min, int max, bool required, int fallback, List<Problem> problems)
    {
        if (value is null)
        {
            if (required)
            {
                problems.Add(new Problem(field, "is required"));
            }

            return fallback;
        }

        if (value < min)
        {
            problems.Add(new Problem(field, $"is {value}; it must be at least {min}"));
            return fallback;
        }

        if (value > max)
        {
            problems.Add(new Problem(field, $"is {value}; at most {max} are allowed"));
            return fallback;
        }

        return (int)value.Value;
    }

    private static ByteSize ParseSize(string field, string? text, ByteSize fallback, ByteSize min, ByteSize max, List<Problem> problems)
    {
        if (text is null)
        {
            return fallback;
        }

        if (!ByteSize.TryParse(text, out var size, out var error))
        {
            problems.Add(new Problem(field, error));
            return fallback;
        }

        if (size < min || size > max)
        {
            problems.Add(new Problem(field, $"is {size}; it must be between {min} and {max}"));
            return fallback;
        }

        return size;
    }

    private static ByteSize? ParseShared(string? text, List<Problem> problems)
    {
        if (text is null or "0" or "")
        {
            return null;
        }

        var size = ParseSize("shared", text, ByteSize.FromMebibytes(0), ByteSize.FromMebibytes(1), SpecLimits.MaxShared, problems);
        return size.Mebibytes == 0 ? null : size;
    }

    private static string? ParseImage(string? image, SpecContext context, List<Problem> problems)
    {
        image ??= SpecLimits.DefaultImage;
        if (!context.Images.Contains(image))
        {
            var known = string.Join(", ", context.Images.Order(StringComparer.Ordinal));
            problems.Add(new Problem("image", $"'{Shorten(image)}' is not a known image; known images: {known}"));
            return null;
        }

        return image;
    }

    private static IReadOnlyList<string> ParsePackages(IReadOnlyList<string>? packages, List<Problem> problems)
    {
        if (packages is null)
        {
            return [];
        }

        if (packages.Count > SpecLimits.MaxPackages)
        {
            problems.Add(new Problem("packages", $"lists {packages.Count} packages; at most {SpecLimits.MaxPackages} are allowed"));
            return [];
        }

        for (var i = 0; i < packages.Count; i++)
        {
            if (!PackagePattern().IsMatch(packages[i] ?? ""))
            {
                problems.Add(new Problem($"packages[{i}]", $"'{Shorten(packages[i])}' is not a Debian package name"));
            }
        }

        return packages.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    private static ClusterRole ParseRole(string? role, List<Problem> problems)
    {
        switch (role)
        {
            case null or "none":
                return ClusterRole.None;
            case "slurm":
                return ClusterRole.Slurm;
            default:
                problems.Add(new Problem("role", $"'{Shorten(role)}' is not a cluster role; use none or slurm"));
                return ClusterRole.None;
        }
    }

    private static InstallMode ParseInstall(string? install, List<Problem> problems)
    {
        switch (install)
        {
            case null or "auto":
                return InstallMode.Auto;
            case "layer":
                return InstallMode.Layer;
            case "boot":
                return InstallMode.Boot;
            default:
                problems.Add(new Problem("install", $"'{Shorten(install)}' is not a way to install packages; use auto, layer or boot"));
                return InstallMode.Auto;
        }
    }

    private static IReadOnlyList<ClusterFile> ParseFiles(IReadOnlyList<ClusterFileInput>? files, bool head, List<Problem> problems)
    {
        if (files is null || files.Count == 0)
        {
            return [];
        }

        if (!head)
        {
            problems.Add(new Problem("files", "files go onto the head node, and this cluster has none"));
            return [];
        }

        if (files.Count > SpecLimits.MaxFiles)
        {
            problems.Add(new Problem("files", $"lists {files.Count} files; at most {SpecLimits.MaxFiles} are allowed"));
            return [];
        }

        var result = new List<ClusterFile>(files.Count);
        var total = 0L;
        for (var i = 0; i < files.Count; i++)
        {
            var field = $"files[{i}]";
            if (files[i] is not { } file)
            {
                problems.Add(new Problem(field, "must be an object with path, mode and content"));
                continue;
            }

            var path = file.Path ?? "";
            if (FilePathProblem(path) is { } pathProblem)
            {
                problems.Add(new Problem($"{field}.path", pathProblem));
            }
            else if (result.Any(f => f.Path == path))
            {
                problems.Add(new Problem($"{field}.path", $"{path} is listed twice"));
            }

            var mode = file.Mode ?? "0644";
            if (!ModePattern().IsMatch(mode))
            {
                problems.Add(new Problem($"{field}.mode", $"'{Shorten(mode)}' is not an octal mode like 0644 or 0755"));
            }

            var content = file.Content ?? "";
            var bytes = new byte[content.Length * 3 / 4 + 3];
            if (!Convert.TryFromBase64String(content, bytes, out var length))
            {
                problems.Add(new Problem($"{field}.content", "is not base64"));
            }

            total += length;
            result.Add(new ClusterFile(path, mode.Length == 3 ? "0" + mode : mode, content));
        }

        if (total > SpecLimits.MaxFileBytes)
        {
            problems.Add(new Problem("files", $"hold {total} bytes together; at most {SpecLimits.MaxFileBytes} are allowed"));
        }

        return result;
    }

    /// <summary>Why a path cannot be a file's on the head, or null when it can.</summary>
    private static string? FilePathProblem(string path)
    {
        if (path.Length == 0)
        {
            return "is required";
        }

        if (path.Length > SpecLimits.MaxFilePathLength)
        {
            return $"is {path.Length} characters long; at most {SpecLimits.MaxFilePathLength} are allowed";
        }

        if (!path.StartsWith('/') || path.EndsWith('/'))
        {
            return $"'{Shorten(path)}' is not an absolute path to a file, like /home/hello.c";
        }

        if (path.Any(c => char.IsControl(c)) || path.Contains('\\', StringComparison.Ordinal))
        {
            return $"'{Shorten(path)}' holds a control character or a backslash";
        }

        var segments = path.Split('/')[1..];
        if (segments.Any(s => s is "" or "." or ".."))
        {
            return $"'{Shorten(path)}' has an empty, '.' or '..' part; give the plain path";
        }

        return segments[0] is "proc" or "sys" or "dev" or "run"
            ? $"'{Shorten(path)}' is under /{segments[0]}, which the node's system makes at boot; choose another place"
            : null;
    }

    private static (DateTimeOffset Start, DateTimeOffset End) ParseWindow(ClusterSpecInput input, DateTimeOffset now, List<Problem> problems)
    {
        var start = now;
        var startOk = true;
        if (input.Start is not null && input.Start != "now")
        {
            if (!TryParseTime(input.Start, out start))
            {
                problems.Add(new Problem("start", $"'{Shorten(input.Start)}' is not 'now' or a time like 2026-12-01T09:00:00Z"));
                startOk = false;
                start = now;
            }
            else if (start < now - SpecLimits.StartGrace)
            {
                problems.Add(new Problem("start", $"{start:u} is in the past"));
                startOk = false;
            }
            else if (start - now > SpecLimits.MaxStartAhead)
            {
                problems.Add(new Problem("start", $"{start:u} is more than {SpecLimits.MaxStartAhead.TotalDays:0} days ahead"));
                startOk = false;
                start = now;
            }
        }

        if (input.End is not null && input.Duration is not null)
        {
            problems.Add(new Problem("end", "and duration were both given; give one of them"));
            return (start, start + SpecLimits.DefaultDuration);
        }

        DateTimeOffset end;
        if (input.End is not null)
        {
            if (!TryParseTime(input.End, out end))
            {
                problems.Add(new Problem("end", $"'{Shorten(input.End)}' is not a time like 2026-12-01T18:00:00Z"));
                return (start, start + SpecLimits.DefaultDuration);
            }
        }
        else if (input.Duration is not null)
        {
            if (!DurationText.TryParse(input.Duration, out var duration) || duration <= TimeSpan.Zero)
            {
                problems.Add(new Problem("duration", $"'{Shorten(input.Duration)}' is not a duration like 30m, 2h or 7d"));
                return (start, start + SpecLimits.DefaultDuration);
            }

            if (duration > SpecLimits.MaxWindow)
            {
                problems.Add(new Problem("duration", $"'{Shorten(input.Duration)}' is longer than the {SpecLimits.MaxWindow.TotalDays:0} days allowed"));
                return (start, start + SpecLimits.DefaultDuration);
            }

            end = start + duration;
        }
        else
        {
            end = start + SpecLimits.DefaultDuration;
        }

        if (end <= start && startOk)
        {
            problems.Add(new Problem("end", $"{end:u} is not after the start {start:u}"));
        }
        else if (end - start > SpecLimits.MaxWindow)
        {
            problems.Add(new Problem(input.End is not null ? "end" : "duration", $"the window is {(end - start).TotalDays:0} days; at most {SpecLimits.MaxWindow.TotalDays:0} are allowed"));
        }

        return (start, end);
    }

    /// <summary>A flexible start's latest start: a time, not in the past, not before the start, with a duration (not an end).</summary>
    private static DateTimeOffset? ParseLatestStart(ClusterSpecInput input, DateTimeOffset start, DateTimeOffset now, List<Problem> problems)
    {
        if (input.LatestStart is null)
        {
            return null;
        }

        if (input.End is not null)
        {
            problems.Add(new Problem("end", "a flexible start (latestStart) needs a duration, not an end"));
        }

        if (!TryParseTime(input.LatestStart, out var latest))
        {
            problems.Add(new Problem("latestStart", $"'{Shorten(input.LatestStart)}' is not a time like 2026-12-01T09:00:00Z"));
            return null;
        }

        if (latest < now - SpecLimits.StartGrace)
        {
            problems.Add(new Problem("latestStart", $"{latest:u} is in the past"));
        }
        else if (latest - now > SpecLimits.MaxStartAhead)
        {
            problems.Add(new Problem("latestStart", $"{latest:u} is more than {SpecLimits.MaxStartAhead.TotalDays:0} days ahead"));
        }
        else if (latest < start && !problems.Any(p => p.Field == "start"))
        {
            problems.Add(new Problem("latestStart", $"{latest:u} is before the start {start:u}: the range of starts ends before it begins"));
        }

        return latest;
    }

    private static IReadOnlyList<SiteShare> ParseSites(IReadOnlyList<string>? sites, SpecContext context, int nodes, List<Problem> problems)
    {
        if (sites is null)
        {
            return [];
        }

        if (sites.Count > SpecLimits.MaxSites)
        {
            problems.Add(new Problem("sites", $"lists {sites.Count} sites; at most {SpecLimits.MaxSites} are allowed"));
            return [];
        }

        var shares = new List<SiteShare>();
        for (var i = 0; i < sites.Count; i++)
        {
            var text = sites[i] ?? "";
            if (!SiteShare.TryParse(text, out var share, out var error))
            {
                problems.Add(new Problem($"sites[{i}]", $"'{Shorten(text)}' {error}"));
                continue;
            }

            var name = share!.Site;
            if (!context.Sites.Contains(name))
            {
                var known = string.Join(", ", context.Sites.Order(StringComparer.Ordinal));
                problems.Add(new Problem($"sites[{i}]", $"'{Shorten(name)}' is not this site or one of its peers; known sites: {known}"));
                continue;
            }

            if (shares.Any(s => s.Site == name))
            {
                problems.Add(new Problem($"sites[{i}]", $"'{name}' is listed twice"));
                continue;
            }

            shares.Add(share);
        }

        if (shares.Any(s => s.Count is not null) && shares.Any(s => s.Count is null))
        {
            problems.Add(new Problem("sites", "give a count for every site or for none"));
        }
        else if (shares.Count > 0 && shares.All(s => s.Count is not null) && shares.Sum(s => s.Count!.Value) != nodes)
        {
            problems.Add(new Problem("sites", $"the counts add up to {shares.Sum(s => s.Count!.Value)}, but the cluster has {nodes} nodes"));
        }

        return shares;
    }

    private static BitRate? ParseWanRate(string? text, List<Problem> problems)
    {
        if (text is null)
        {
            return null;
        }

        if (!BitRate.TryParse(text, out var rate, out _))
        {
            problems.Add(new Problem("wanRate", $"'{Shorten(text)}' is not a rate like 100M or 1G (1 Mbit/s to 100 Gbit/s)"));
            return null;
        }

        return rate;
    }

    private static PlacementPolicy ParsePolicy(string? policy, List<Problem> problems)
    {
        switch (policy)
        {
            case null or "pack":
                return PlacementPolicy.Pack;
            case "spread":
                return PlacementPolicy.Spread;
            default:
                problems.Add(new Problem("policy", $"'{Shorten(policy)}' is not a placement policy; use pack or spread"));
                return PlacementPolicy.Pack;
        }
    }

    private static Ipv4Subnet? ParseSubnet(string? text, int nodes, SpecContext context, List<Problem> problems)
    {
        if (text is null)
        {
            return Ipv4Subnet.FirstFree(context.SubnetPool, Math.Max(nodes, 1), context.UsedSubnets);
        }

        if (!Ipv4Subnet.TryParse(text, out var subnet, out var error))
        {
            problems.Add(new Problem("subnet", error));
            return null;
        }

        if (!subnet!.IsPrivate)
        {
            problems.Add(new Problem("subnet", $"{subnet} is not a private range (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)"));
            return null;
        }

        if (subnet.NodeCapacity < nodes)
        {
            problems.Add(new Problem("subnet", $"{subnet} holds {subnet.NodeCapacity} nodes; the cluster has {nodes}"));
            return null;
        }

        return subnet;
    }

    /// <summary>Times are kept to the millisecond, as the database keeps them, so cached and stored windows agree.</summary>
    private static DateTimeOffset WholeMilliseconds(DateTimeOffset time) =>
        DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());

    /// <summary>A time as requests write it: ISO 8601 with a date and a time (an offset, else UTC).</summary>
    public static bool TryParseTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time)
        && text.Contains('T', StringComparison.Ordinal) | text.Contains(' ', StringComparison.Ordinal);

    private static string Shorten(string? text) =>
        text is null ? "" : text.Length <= 64 ? text : text[..61] + "...";

    [GeneratedRegex("^[a-z]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^0?[0-7]{3}$")]
    private static partial Regex ModePattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9+.-]{1,99}$")]
    private static partial Regex PackagePattern();
}
