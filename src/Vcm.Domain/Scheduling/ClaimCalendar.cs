namespace Vcm.Domain.Scheduling;

/// <summary>The claims held on hosts, indexed by host, answering "how much is in use at most during a window".</summary>
public sealed class ClaimCalendar
{
    private readonly Dictionary<string, List<Claim>> _byHost = new(StringComparer.Ordinal);

    public ClaimCalendar(IEnumerable<Claim> claims)
    {
        foreach (var claim in claims)
        {
            Add(claim);
        }
    }

    public static ClaimCalendar Empty => new([]);

    public IEnumerable<Claim> All => _byHost.Values.SelectMany(c => c);

    public void Add(Claim claim)
    {
        if (!_byHost.TryGetValue(claim.HostId, out var list))
        {
            list = [];
            _byHost[claim.HostId] = list;
        }

        list.Add(claim);
    }

    public void RemoveCluster(string clusterId)
    {
        foreach (var list in _byHost.Values)
        {
            list.RemoveAll(c => c.ClusterId == clusterId);
        }
    }

    public IReadOnlyList<Claim> ClaimsOn(string hostId) =>
        _byHost.TryGetValue(hostId, out var list) ? list : [];

    /// <summary>The highest use of each dimension on the host at any instant in [start, end).</summary>
    public Resources PeakUsage(string hostId, DateTimeOffset start, DateTimeOffset end)
    {
        if (!_byHost.TryGetValue(hostId, out var claims) || claims.Count == 0)
        {
            return Resources.Zero;
        }

        var atStart = Resources.Zero;
        List<(DateTimeOffset At, Resources Delta)>? changes = null;
        foreach (var claim in claims)
        {
            if (!claim.Overlaps(start, end))
            {
                continue;
            }

            if (claim.Start <= start)
            {
                atStart += claim.Amount;
            }
            else
            {
                (changes ??= []).Add((claim.Start, claim.Amount));
            }

            if (claim.End < end)
            {
                (changes ??= []).Add((claim.End, Resources.Zero - claim.Amount));
            }
        }

        if (changes is null)
        {
            return atStart;
        }

        // All changes at one instant apply together before the peak is read: windows are half-open.
        changes.Sort((a, b) => a.At.CompareTo(b.At));
        var peak = atStart;
        var current = atStart;
        var i = 0;
        while (i < changes.Count)
        {
            var at = changes[i].At;
            while (i < changes.Count && changes[i].At == at)
            {
                current += changes[i].Delta;
                i++;
            }

            peak = Resources.Max(peak, current);
        }

        return peak;
    }

    /// <summary>Times after <paramref name="from"/> at which some claim ends: the only moments capacity grows.</summary>
    public IEnumerable<DateTimeOffset> EndsAfter(DateTimeOffset from) =>
        _byHost.Values.SelectMany(c => c).Select(c => c.End).Where(e => e > from).Distinct().Order();
}
