using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Vcm.Agent.Metadata;
using Vcm.Drivers.Network;
using Vcm.Testing;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Metadata;

/// <summary>
/// When the node table reads nodes.json again, on a clock the test sets: a rewrite that keeps the file's time and size
/// is caught by comparing the content only while that time is recent by the clock.
/// </summary>
public sealed class NodeTableTests : IDisposable
{
    private static readonly IPAddress Node = IPAddress.Parse("127.0.0.11");
    private static readonly DateTime Written = new(2030, 1, 1, 8, 0, 0, DateTimeKind.Utc);

    private readonly TempDirectory _dir = new("vcm-nodetable");
    private readonly ManualClock _clock = new(Written);
    private readonly NodeTable _table;

    public NodeTableTests()
    {
        _table = new NodeTable(new MetadataServerOptions { Directory = _dir.Path, Listen = "http://127.0.0.1:0" }, _clock, NullLogger<NodeTable>.Instance);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(3, false)]
    public async Task Authenticate_RewrittenWithTheSameTimeAndSize_SeenOnlyWhileThatTimeIsRecentByTheClock(int ageSeconds, bool seen)
    {
        _clock.Advance(TimeSpan.FromSeconds(1));
        await WriteAsync("token-AAA");
        Assert.Equal("n1", _table.Authenticate("token-AAA", Node).Node?.Name);
        _clock.Set(Written.AddSeconds(ageSeconds));

        await WriteAsync("token-BBB");

        Assert.Equal(seen ? "n1" : null, _table.Authenticate("token-BBB", Node).Node?.Name);
        Assert.Equal(seen ? null : "n1", _table.Authenticate("token-AAA", Node).Node?.Name);
    }

    [Fact]
    public async Task Authenticate_RewrittenWithANewTime_SeesTheNewTokenWhateverTheClock()
    {
        _clock.Advance(TimeSpan.FromHours(1));
        await WriteAsync("token-AAA");
        Assert.Equal("n1", _table.Authenticate("token-AAA", Node).Node?.Name);

        await WriteAsync("token-BBB", Written.AddSeconds(1));

        Assert.Equal("n1", _table.Authenticate("token-BBB", Node).Node?.Name);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Writes nodes.json with one node n1 at 127.0.0.11 and the token, stamped <paramref name="time"/> (default <see cref="Written"/>).</summary>
    private async Task WriteAsync(string token, DateTime? time = null)
    {
        var spec = new GatewaySpec
        {
            Name = "gw-test",
            Bridge = "br-test",
            Subnet = "127.0.0.0/8",
            Address = "127.0.0.1",
            Domain = "test",
            Nodes = [new GatewayNode("n1", "52:54:00:00:00:11", Node.ToString(), [], Token: token)],
        };
        await GatewayFiles.WriteNodesAsync(_dir.Path, spec, CancellationToken.None);
        File.SetLastWriteTimeUtc(GatewayFiles.NodesFile(_dir.Path), time ?? Written);
    }
}
