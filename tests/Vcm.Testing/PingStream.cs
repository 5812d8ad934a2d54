using System.Globalization;
using System.Text.RegularExpressions;

namespace Vcm.Testing;

/// <summary>
/// What a ping stream (busybox or iputils <c>ping -i 0.01</c>) printed, read by sequence number: how many were sent and
/// answered, the longest run of unanswered sequence numbers (at 10 ms each, the longest outage), and how many were
/// answered after it (none: the stream never resumed).
/// </summary>
public sealed partial record PingStream(int Sent, int Received, int LongestGap, int ResumedAfter)
{
    public int Lost => Sent - Received;

    public static PingStream Parse(string output)
    {
        var seqs = SeqPattern().Matches(output).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct().Order().ToList();
        var stats = StatsPattern().Match(output);
        var sent = stats.Success ? int.Parse(stats.Groups[1].Value, CultureInfo.InvariantCulture) : (seqs.Count == 0 ? 0 : seqs[^1] + 1);
        var (longest, gapEnd) = (0, 0);
        var previous = -1;
        foreach (var seq in seqs)
        {
            if (seq - previous - 1 > longest)
            {
                (longest, gapEnd) = (seq - previous - 1, seq);
            }

            previous = seq;
        }

        return new PingStream(sent, seqs.Count, longest, seqs.Count(s => s >= gapEnd));
    }

    [GeneratedRegex(@"seq=(\d+)")]
    private static partial Regex SeqPattern();

    [GeneratedRegex(@"(\d+) packets transmitted")]
    private static partial Regex StatsPattern();
}
