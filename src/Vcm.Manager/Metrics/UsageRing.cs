namespace Vcm.Manager.Metrics;

/// <summary>
/// One VM's last samples, at most <c>capacity</c>, oldest dropped first. A report's CPU rate is taken against the
/// report before it; the first report only sets the base, and so does one whose CPU time went back (the VM restarted).
/// </summary>
internal sealed class UsageRing(int capacity)
{
    private readonly Lock _lock = new();
    private readonly Queue<UsageSample> _samples = new();
    private (DateTimeOffset At, double CpuSeconds)? _last;

    public void Add(DateTimeOffset at, double cpuSeconds, long memoryBytes)
    {
        lock (_lock)
        {
            if (_last is { } last && at > last.At && cpuSeconds >= last.CpuSeconds)
            {
                var percent = (cpuSeconds - last.CpuSeconds) / (at - last.At).TotalSeconds * 100;
                _samples.Enqueue(new UsageSample(at, Math.Round(percent, 1), memoryBytes));
                while (_samples.Count > capacity)
                {
                    _samples.Dequeue();
                }
            }

            _last = (at, cpuSeconds);
        }
    }

    public IReadOnlyList<UsageSample> Samples()
    {
        lock (_lock)
        {
            return _samples.ToList();
        }
    }
}
