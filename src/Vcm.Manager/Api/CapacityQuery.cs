using System.Globalization;
using Vcm.Domain.Clusters;
using Vcm.Domain.Common;
using Vcm.Domain.Scheduling;
using Vcm.Domain.Sizes;

namespace Vcm.Manager.Api;

/// <summary>
/// What GET /api/v1/capacity asks (and a peer is asked in turn): the steps from <see cref="From"/> to <see cref="To"/>,
/// and the node shape to count, if any.
/// </summary>
public sealed record CapacityQuery(DateTimeOffset From, DateTimeOffset To, TimeSpan Step, Resources? Shape)
{
    /// <summary>Reads the query's fields; every problem is listed.</summary>
    public static (CapacityQuery Query, IReadOnlyList<Problem> Problems) Read(
        string? from, string? to, string? step, int? cpus, string? memory, string? disk, DateTimeOffset now)
    {
        var problems = new List<Problem>();
        var start = Time("from", from, now, problems);
        var span = DurationOf("step", step, CapacityEndpoints.DefaultStep, problems);
        var end = to is null ? start + CapacityEndpoints.DefaultSpan : Time("to", to, now, problems);
        if (problems.Count == 0 && end <= start)
        {
            problems.Add(new Problem("to", "must be after from"));
        }
        else if (problems.Count == 0 && (end - start).Ticks / span.Ticks >= CapacityTimeline.MaxSteps)
        {
            problems.Add(new Problem("step", $"makes more than {CapacityTimeline.MaxSteps} steps between from and to: take a longer step or a shorter range"));
        }

        Resources? shape = null;
        if (cpus is not null || memory is not null || disk is not null)
        {
            if (cpus is < 1 or > SpecLimits.MaxCpus)
            {
                problems.Add(new Problem("cpus", $"must be from 1 to {SpecLimits.MaxCpus}"));
            }

            var mem = Size("memory", memory, SpecLimits.DefaultMemory, problems);
            var dsk = Size("disk", disk, SpecLimits.DefaultDisk, problems);
            shape = new Resources(cpus ?? SpecLimits.DefaultCpus, mem.Mebibytes, dsk.Mebibytes);
        }

        return (new CapacityQuery(start, end, span, shape), problems);
    }

    /// <summary>The same query as a query string, with absolute times, for a peer (whose clock may differ a little).</summary>
    public string ToQueryString()
    {
        var fields = new List<string>
        {
            "from=" + Uri.EscapeDataString(From.ToString("O", CultureInfo.InvariantCulture)),
            "to=" + Uri.EscapeDataString(To.ToString("O", CultureInfo.InvariantCulture)),
            "step=" + Uri.EscapeDataString(DurationText.Format(Step)),
        };
        if (Shape is { } shape)
        {
            fields.Add("cpus=" + shape.Cpus.ToString(CultureInfo.InvariantCulture));
            fields.Add("memory=" + Uri.EscapeDataString(ByteSize.FromMebibytes(shape.MemoryMb).ToString()));
            fields.Add("disk=" + Uri.EscapeDataString(ByteSize.FromMebibytes(shape.DiskMb).ToString()));
        }

        return "?" + string.Join('&', fields);
    }

    /// <summary>A time field: now, or ISO 8601.</summary>
    public static DateTimeOffset Time(string field, string? text, DateTimeOffset now, List<Problem> problems)
    {
        if (text is null or "now")
        {
            return now;
        }

        if (ClusterSpecParser.TryParseTime(text, out var time))
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());
        }

        problems.Add(new Problem(field, "must be now or an ISO 8601 time like 2027-04-06T09:00+09:00"));
        return now;
    }

    private static TimeSpan DurationOf(string field, string? text, TimeSpan fallback, List<Problem> problems)
    {
        if (text is null)
        {
            return fallback;
        }

        if (DurationText.TryParse(text, out var duration) && duration >= TimeSpan.FromMinutes(1))
        {
            return duration;
        }

        problems.Add(new Problem(field, "must be a duration of at least 1m, like 15m, 1h or 1d"));
        return fallback;
    }

    private static ByteSize Size(string field, string? text, ByteSize fallback, List<Problem> problems)
    {
        if (text is null)
        {
            return fallback;
        }

        if (ByteSize.TryParse(text, out var size, out var error))
        {
            return size;
        }

        problems.Add(new Problem(field, error));
        return fallback;
    }
}
