using System.Globalization;
using Vcm.Domain.Clusters;
using Vcm.Domain.Common;
using Vcm.Domain.Networking;

namespace Vcm.Domain.Series;

/// <summary>
/// Reads a series request: the rule's starts (<see cref="Recurrence"/>), and for each a cluster spec parsed by
/// <see cref="ClusterSpecParser"/> as a create of its own would be — named NAME-YYYYMMDD, starting then, with a subnet of
/// its own, the site's limits (the longest lease, how far ahead) checked for each. Every problem is listed.
/// </summary>
public static class SeriesParser
{
    public static (SeriesPlan? Plan, IReadOnlyList<Problem> Problems) Parse(SeriesInput input, SpecContext context)
    {
        var problems = new List<Problem>();
        if (input.LatestStart is not null)
        {
            problems.Add(new Problem("latestStart", "a series has fixed starts (its rule's); give start, not a range of starts"));
        }

        if (input.Subnet is not null)
        {
            problems.Add(new Problem("subnet", "a series gives each occurrence a subnet of its own; leave subnet out"));
        }

        if (input.End is not null)
        {
            problems.Add(new Problem("end", "a series' occurrences are as long as its duration; give duration, not an end"));
        }

        if (input.Name is { } name && name.Length + OccurrenceNames.LongestSuffix > SpecLimits.MaxNameLength)
        {
            problems.Add(new Problem("name", $"is {name.Length} characters long; a series' name has at most {SpecLimits.MaxNameLength - OccurrenceNames.LongestSuffix} (its occurrences add -YYYYMMDD-HHMM)"));
        }

        var (starts, ruleProblems) = Recurrence.Expand(input.Repeat, input.Start, input.TimeZone, context.Limits.MaxOccurrences);
        problems.AddRange(ruleProblems);
        var seriesName = input.Name ?? "";
        var names = OccurrenceNames.For(seriesName, starts.Select(s => s.Local).ToList());
        var occurrences = new List<(Occurrence, ClusterSpec)>();
        var used = context.UsedSubnets.ToList();
        var first = true;
        foreach (var ((start, local), occurrenceName) in starts.Zip(names))
        {
            var one = input with { Name = input.Name is null ? null : occurrenceName, Start = start.ToString("O", CultureInfo.InvariantCulture) };
            var parsed = ClusterSpecParser.Parse(one, context with { UsedSubnets = used });
            var occurrence = new Occurrence(start, local, occurrenceName);
            if (first)
            {
                problems.AddRange(parsed.Problems);
            }
            else
            {
                // the rest differ from the first only in their start (and name): only problems of the start are new
                problems.AddRange(parsed.Problems.Where(p => p.Field == "start").Select(p => new Problem("repeat", $"occurrence {occurrence.Date}: start {p.Message}")));
            }

            if (parsed.Spec is { } spec)
            {
                occurrences.Add((occurrence, spec));
                used.Add(spec.Subnet);
            }

            first = false;
        }

        if (starts.Count == 0)
        {
            // no starts to check the rest against: the other fields are checked once, as if the series started now
            var now = input with { Name = input.Name is null ? null : $"{input.Name}-{context.Now:yyyyMMdd}", Start = null, LatestStart = null, Subnet = null, End = null };
            problems.AddRange(ClusterSpecParser.Parse(now, context).Problems.Where(p => p.Field is not ("start" or "latestStart")));
        }

        problems = problems.Distinct().ToList();
        return problems.Count > 0
            ? (null, problems)
            : (new SeriesPlan(seriesName, input.Repeat!.Trim(), input.TimeZone, input.AllowPartial ?? false, occurrences), []);
    }
}
