using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Vcm.Drivers.Processes;

namespace Vcm.Agent.Tests.Linux.Compute;

/// <summary>
/// busybox ping every 10 ms from a namespace, its replies recorded as they come (sequence number and the time the line
/// arrived). Lost replies are the sequence numbers missing between the first reply and the last; the longest gap is
/// between two successive replies. Stopped by PID on dispose.
/// </summary>
public sealed partial class PingStream : IAsyncDisposable
{
    private readonly IRunningProcess _process;
    private readonly List<(int Seq, double Time)> _replies = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private PingStream(string ns, string address)
    {
        _process = ProcessRunner.Instance.Start(new ProcessSpec("ip", ["netns", "exec", ns, "busybox", "ping", "-i", "0.01", address]), Record);
    }

    public static PingStream Start(string ns, string address) => new(ns, address);

    public int Replies
    {
        get
        {
            lock (_replies)
            {
                return _replies.Count;
            }
        }
    }

    /// <summary>Waits until <paramref name="more"/> replies beyond <paramref name="after"/> came; false when they did not within the time given.</summary>
    public async Task<bool> WaitForRepliesAsync(int after, int more, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (Replies < after + more)
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }

    /// <summary>(replies, lost between the first reply and the last, the longest gap between two replies in ms).</summary>
    public (int Replies, int Lost, double LongestGapMs) Summary()
    {
        lock (_replies)
        {
            if (_replies.Count == 0)
            {
                return (0, 0, 0);
            }

            var seqs = _replies.Select(r => r.Seq).Distinct().Count();
            var span = _replies[^1].Seq - _replies[0].Seq + 1;
            var gap = _replies.Zip(_replies.Skip(1), (a, b) => b.Time - a.Time).DefaultIfEmpty(0).Max();
            return (seqs, span - seqs, gap * 1000);
        }
    }

    private void Record(string line)
    {
        var match = ReplyLine().Match(line);
        if (match.Success)
        {
            lock (_replies)
            {
                _replies.Add((int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), _clock.Elapsed.TotalSeconds));
            }
        }
    }

    [GeneratedRegex(@"^\d+ bytes from .*: seq=(\d+) ")]
    private static partial Regex ReplyLine();

    public async ValueTask DisposeAsync()
    {
        await _process.StopAsync(TimeSpan.FromSeconds(2));
        _process.Dispose();
    }
}
