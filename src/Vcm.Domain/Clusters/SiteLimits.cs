using Vcm.Domain.Common;

namespace Vcm.Domain.Clusters;

/// <summary>
/// The limits a site's provider sets on reservations, enforced at admission: the longest window, how far ahead of
/// now a window may start, and how many times a cluster may be extended. Null: no limit.
/// </summary>
public sealed record SiteLimits(TimeSpan? MaxLease, TimeSpan? MaxAdvance, int? MaxExtensions = null)
{
    /// <summary>How many occurrences a series may have when the provider sets no number.</summary>
    public const int DefaultMaxOccurrences = 100;

    public static readonly SiteLimits None = new(null, null);

    /// <summary>The most occurrences one series may have (each is admitted as a cluster at once).</summary>
    public int MaxOccurrences { get; init; } = DefaultMaxOccurrences;

    /// <summary>Every limit the window breaks, named by the request's field (<paramref name="durationField"/>: duration or end).</summary>
    public IReadOnlyList<Problem> Check(DateTimeOffset start, DateTimeOffset end, DateTimeOffset now, string durationField)
    {
        var problems = new List<Problem>();
        if (MaxLease is { } lease && end - start > lease)
        {
            problems.Add(new Problem(durationField, $"makes a window of {DurationText.Format(end - start)}; this site's longest lease is {DurationText.Format(lease)}"));
        }

        if (MaxAdvance is { } advance && start - now > advance)
        {
            problems.Add(new Problem("start", $"is {DurationText.Format(start - now)} ahead; this site takes reservations at most {DurationText.Format(advance)} ahead"));
        }

        return problems;
    }
}
