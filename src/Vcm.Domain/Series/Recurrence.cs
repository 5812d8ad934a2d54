using System.Globalization;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Evaluation;
using Vcm.Domain.Common;

namespace Vcm.Domain.Series;

/// <summary>
/// The starts of a series: an RFC 5545 recurrence rule (read and expanded by Ical.Net) from the first start, in an IANA
/// time zone (the local time stays across daylight-saving changes) or at the first start's fixed offset.
/// </summary>
public static class Recurrence
{
    /// <summary>Every start of the rule, or the problems (fields repeat, timeZone, start) — all of them.</summary>
    public static (IReadOnlyList<(DateTimeOffset Start, DateTime Local)> Starts, IReadOnlyList<Problem> Problems) Expand(
        string? rule, string? start, string? timeZone, int maxOccurrences)
    {
        var problems = new List<Problem>();
        var pattern = ReadRule(rule, maxOccurrences, problems);
        var zoneOk = timeZone is null || KnownZone(timeZone, problems);
        var first = ReadStart(start, timeZone, zoneOk, problems);
        if (pattern is null || first is not { } dtStart || problems.Count > 0)
        {
            return ([], problems);
        }

        var calendarEvent = new CalendarEvent { DtStart = dtStart.Start, Duration = Duration.FromHours(1) };
        calendarEvent.RecurrenceRule = pattern;
        List<CalDateTime> starts;
        try
        {
            starts = calendarEvent.GetOccurrences(null, new EvaluationOptions { MaxUnmatchedIncrementsLimit = 10_000 })
                .Take(maxOccurrences + 1).Select(o => o.Period.StartTime).ToList();
        }
        catch (EvaluationLimitExceededException)
        {
            return ([], [new Problem("repeat", $"'{rule}' yields no further start for a long time; check its BY parts")]);
        }

        if (starts.Count > maxOccurrences)
        {
            return ([], [new Problem("repeat", $"yields more than {maxOccurrences} occurrences; this site allows at most {maxOccurrences} in a series")]);
        }

        return (starts.Select(s => (Instant(s, dtStart.Offset), s.Value)).ToList(), []);
    }

    private static RecurrencePattern? ReadRule(string? rule, int maxOccurrences, List<Problem> problems)
    {
        if (string.IsNullOrWhiteSpace(rule))
        {
            problems.Add(new Problem("repeat", "is required: an RFC 5545 recurrence rule like FREQ=WEEKLY;BYDAY=TU;COUNT=15"));
            return null;
        }

        var text = rule.Trim();
        if (text.StartsWith("RRULE:", StringComparison.OrdinalIgnoreCase))
        {
            text = text[6..];
        }

        RecurrencePattern pattern;
        try
        {
            pattern = new RecurrencePattern(text);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            problems.Add(new Problem("repeat", $"'{Shorten(rule)}' is not an RFC 5545 recurrence rule: {e.Message.Split(" (Parameter", 2)[0]}"));
            return null;
        }

        if (pattern.Count is null && pattern.Until is null)
        {
            problems.Add(new Problem("repeat", "never ends: give COUNT or UNTIL"));
            return null;
        }

        if (pattern.Count is { } count && (count < 1 || count > maxOccurrences))
        {
            problems.Add(new Problem("repeat", count < 1
                ? $"has COUNT={count}; a series has at least one occurrence"
                : $"has COUNT={count}; this site allows at most {maxOccurrences} occurrences in a series"));
            return null;
        }

        return pattern;
    }

    private static bool KnownZone(string timeZone, List<Problem> problems)
    {
        try
        {
            _ = new CalDateTime(new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Unspecified), timeZone).AsUtc;
            return true;
        }
        catch (ArgumentException)
        {
            problems.Add(new Problem("timeZone", $"'{Shorten(timeZone)}' is not a known IANA time zone, like Europe/Berlin or Asia/Tokyo"));
            return false;
        }
    }

    /// <summary>The first start in the zone (its local time), or floating at the start's own offset.</summary>
    private static (CalDateTime Start, TimeSpan Offset)? ReadStart(string? start, string? timeZone, bool zoneOk, List<Problem> problems)
    {
        if (start is null or "now")
        {
            problems.Add(new Problem("start", "a series needs the first occurrence's start, like 2027-04-06T09:00+09:00 (or 2027-04-06T09:00 with a timeZone)"));
            return null;
        }

        var styles = DateTimeStyles.AllowWhiteSpaces;
        if (DateTimeOffset.TryParse(start, CultureInfo.InvariantCulture, styles, out var instant) && HasOffset(start))
        {
            if (timeZone is null)
            {
                return (new CalDateTime(DateTime.SpecifyKind(instant.DateTime, DateTimeKind.Unspecified), tzId: null), instant.Offset);
            }

            return zoneOk ? (new CalDateTime(instant.UtcDateTime, "UTC").ToTimeZone(timeZone), TimeSpan.Zero) : null;
        }

        if (DateTime.TryParse(start, CultureInfo.InvariantCulture, styles, out var local))
        {
            if (timeZone is null)
            {
                problems.Add(new Problem("start", $"'{Shorten(start)}' has no offset: give one (like +09:00) or a timeZone"));
                return null;
            }

            return zoneOk ? (new CalDateTime(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), timeZone), TimeSpan.Zero) : null;
        }

        problems.Add(new Problem("start", $"'{Shorten(start)}' is not a time like 2027-04-06T09:00+09:00"));
        return null;
    }

    private static bool HasOffset(string text)
    {
        var t = text.Trim();
        var time = t.IndexOf('T', StringComparison.OrdinalIgnoreCase);
        return time >= 0 && (t.EndsWith('Z') || t.EndsWith('z') || t.IndexOfAny(['+', '-'], time) >= 0);
    }

    private static DateTimeOffset Instant(CalDateTime start, TimeSpan fixedOffset) =>
        start.IsFloating
            ? new DateTimeOffset(DateTime.SpecifyKind(start.Value, DateTimeKind.Unspecified), fixedOffset)
            : new DateTimeOffset(DateTime.SpecifyKind(start.AsUtc, DateTimeKind.Utc));

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
