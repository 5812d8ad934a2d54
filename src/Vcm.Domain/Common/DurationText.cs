using System.Globalization;
using System.Text.RegularExpressions;

namespace Vcm.Domain.Common;

/// <summary>
/// Durations written as <c>90s</c>, <c>30m</c>, <c>2h</c>, <c>7d</c>, <c>1w</c> or combined: <c>1h30m</c>. One longer
/// than a <see cref="TimeSpan"/> holds parses as <see cref="TimeSpan.MaxValue"/> (callers check their own bounds).
/// </summary>
public static partial class DurationText
{
    private const long MaxSeconds = (long)(TimeSpan.TicksPerDay / TimeSpan.TicksPerSecond) * 10_000_000; // < TimeSpan.MaxValue (10.6 million days)

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var matches = PartPattern().Matches(text.Trim());
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != text.Trim())
        {
            return false;
        }

        // Counted in seconds (at most 9 digits a part, so a long cannot overflow); past what a TimeSpan holds, the
        // duration is TimeSpan.MaxValue, for the caller's "too long" check to name.
        var seconds = 0L;
        foreach (Match m in matches)
        {
            if (!long.TryParse(m.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 100_000_000)
            {
                return false;
            }

            seconds = Math.Min(MaxSeconds, seconds + n * m.Groups["u"].Value switch
            {
                "s" => 1L,
                "m" => 60L,
                "h" => 3600L,
                "d" => 86_400L,
                "w" => 7 * 86_400L,
                _ => 0L,
            });
        }

        duration = seconds >= MaxSeconds ? TimeSpan.MaxValue : TimeSpan.FromSeconds(seconds);
        return true;
    }

    public static string Format(TimeSpan span)
    {
        if (span.TotalSeconds < 60)
        {
            return $"{span.TotalSeconds:0.#}s";
        }

        if (span.TotalMinutes < 60)
        {
            return $"{(int)span.TotalMinutes}m{(span.Seconds > 0 ? $"{span.Seconds}s" : "")}";
        }

        if (span.TotalHours < 48)
        {
            return $"{(int)span.TotalHours}h{(span.Minutes > 0 ? $"{span.Minutes}m" : "")}";
        }

        return $"{(int)span.TotalDays}d{(span.Hours > 0 ? $"{span.Hours}h" : "")}";
    }

    [GeneratedRegex(@"(?<n>\d{1,9})(?<u>[smhdw])")]
    private static partial Regex PartPattern();
}
