using Vcm.Cli.Lab;
using Xunit;

namespace Vcm.Cli.Tests.Lab;

public sealed class LabWanLinkTests
{
    [Theory]
    [InlineData(1, 32 * 1024)]
    [InlineData(50, 32 * 1024)]
    [InlineData(100, 50_000)]
    [InlineData(1000, 500_000)]
    public void BurstBytes_FourMillisecondsOfTrafficAtLeast32KiB(int mbit, long bytes) =>
        Assert.Equal(bytes, LabWanLink.BurstBytes(mbit));

    [Fact]
    public void TbfArguments_ShapeTheDeviceToTheRate() =>
        Assert.Equal(
            ["qdisc", "replace", "dev", "wan0", "root", "tbf", "rate", "100mbit", "burst", "50000", "latency", "50ms"],
            LabWanLink.TbfArguments("wan0", 100));
}
