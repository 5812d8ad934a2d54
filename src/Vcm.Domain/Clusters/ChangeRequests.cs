using Vcm.Domain.Common;

namespace Vcm.Domain.Clusters;

/// <summary>Validates changes to an admitted cluster — an extension, a resize — listing every problem, as the spec parser does for a create.</summary>
public static class ChangeRequests
{
    /// <summary>
    /// The new end an extension asks for (a time, or the current end plus a duration), or every problem: neither or
    /// both given, unreadable, not after the current end, past the site's longest lease (from the cluster's start) or
    /// its maximum extensions.
    /// </summary>
    public static (DateTimeOffset End, IReadOnlyList<Problem> Problems) Extend(
        string? end, string? by, ClusterSpec spec, int extensions, SiteLimits limits, DateTimeOffset now)
    {
        var problems = new List<Problem>();
        var newEnd = spec.End;
        if (end is null == by is null)
        {
            problems.Add(new Problem(end is null ? "end" : "by", end is null ? "or by is required: give the new end, or how much longer" : "and end were both given; give one of them"));
        }
        else if (end is not null)
        {
            if (ClusterSpecParser.TryParseTime(end, out var parsed))
            {
                newEnd = DateTimeOffset.FromUnixTimeMilliseconds(parsed.ToUnixTimeMilliseconds());
            }
            else
            {
                problems.Add(new Problem("end", $"'{Shorten(end)}' is not a time like 2026-12-01T18:00:00Z"));
            }
        }
        else if (DurationText.TryParse(by!, out var duration) && duration > TimeSpan.Zero && duration <= SpecLimits.MaxWindow)
        {
            newEnd = spec.End + duration;
        }
        else
        {
            problems.Add(new Problem("by", $"'{Shorten(by)}' is not a duration like 30m, 2h or 7d"));
        }

        if (problems.Count == 0 && newEnd <= spec.End)
        {
            problems.Add(new Problem("end", $"{newEnd:u} is not after the cluster's current end {spec.End:u}"));
        }
        else if (problems.Count == 0 && newEnd - spec.Start > SpecLimits.MaxWindow)
        {
            problems.Add(new Problem(end is null ? "by" : "end", $"the window would be {(newEnd - spec.Start).TotalDays:0} days; at most {SpecLimits.MaxWindow.TotalDays:0} are allowed"));
        }
        else if (problems.Count == 0 && limits.MaxLease is { } lease && newEnd - spec.Start > lease)
        {
            problems.Add(new Problem(end is null ? "by" : "end",
                $"makes a window of {DurationText.Format(newEnd - spec.Start)} from the cluster's start {spec.Start:u}; this site's longest lease is {DurationText.Format(lease)}"));
        }

        if (limits.MaxExtensions is { } most && extensions >= most)
        {
            problems.Add(new Problem("extensions", $"the cluster was extended {extensions} time{(extensions == 1 ? "" : "s")}; this site allows at most {most}"));
        }

        return (newEnd, problems);
    }

    /// <summary>Every problem with a new worker count: missing, below 1, above the spec parser's maximum or the subnet, the same as now, or a cluster that cannot be resized.</summary>
    public static IReadOnlyList<Problem> Resize(int? workers, ClusterSpec spec)
    {
        var problems = new List<Problem>();
        if (workers is not { } count)
        {
            problems.Add(new Problem("workers", "is required"));
        }
        else if (count < 1 || count > SpecLimits.MaxWorkers)
        {
            problems.Add(new Problem("workers", $"must be from 1 to {SpecLimits.MaxWorkers}"));
        }
        else if (count == spec.Workers)
        {
            problems.Add(new Problem("workers", $"is {count} already"));
        }
        else if (spec.Subnet.NodeCapacity < count + (spec.Head ? 1 : 0))
        {
            problems.Add(new Problem("workers", $"{count} workers do not fit the cluster's subnet {spec.Subnet}: it holds {spec.Subnet.NodeCapacity} nodes"));
        }

        if (spec.Role == ClusterRole.Slurm)
        {
            problems.Add(new Problem("role", "a Slurm cluster cannot be resized: its slurm.conf names its nodes when it is built"));
        }

        return problems;
    }

    private static string Shorten(string? text) =>
        text is null ? "" : text.Length <= 64 ? text : text[..61] + "...";
}
