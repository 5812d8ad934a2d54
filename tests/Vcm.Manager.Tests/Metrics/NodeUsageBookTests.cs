using Vcm.Drivers.Rpc;
using Vcm.Manager.Metrics;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Metrics;

/// <summary>The per-VM ring of usage samples behind GET …/nodes/{node}/usage.</summary>
public sealed class NodeUsageBookTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void Samples_CpuPercentOverTheTimeSinceTheReportBefore_TheLast120Kept()
    {
        var book = new NodeUsageBook(_clock);
        for (var i = 0; i <= 130; i++)
        {
            book.Record(["h1"], [new VmUsageReport("h1", "vm", i * 2.5, 1000 + i)]); // 2.5 CPU seconds every 5 s: half a CPU
            _clock.Advance(TimeSpan.FromSeconds(5));
        }

        var samples = book.Samples("h1", "vm");

        Assert.Equal(NodeUsageBook.Kept, samples.Count);
        Assert.All(samples, s => Assert.Equal(50, s.CpuPercent));
        Assert.Equal(1130, samples[^1].MemoryBytes); // the newest last
        Assert.Equal(1011, samples[0].MemoryBytes); // the 11 oldest (and the first report, a base only) dropped
    }

    [Fact]
    public void Samples_ARestartedVmStartsAgainFromABase_AndAVmNoLongerReportedIsForgotten()
    {
        var book = new NodeUsageBook(_clock);
        book.Record(["h1"], [new VmUsageReport("h1", "vm", 100, 1), new VmUsageReport("h1", "other", 1, 1)]);
        _clock.Advance(TimeSpan.FromSeconds(10));
        book.Record(["h1"], [new VmUsageReport("h1", "vm", 110, 2), new VmUsageReport("h1", "other", 1, 1)]); // one CPU busy
        _clock.Advance(TimeSpan.FromSeconds(10));
        book.Record(["h1"], [new VmUsageReport("h1", "vm", 1, 3)]); // restarted: its CPU time went back; "other" stopped

        Assert.Equal([100.0], book.Samples("h1", "vm").Select(s => s.CpuPercent));
        Assert.Empty(book.Samples("h1", "other"));
        Assert.Empty(book.Samples("h2", "vm"));
    }
}
