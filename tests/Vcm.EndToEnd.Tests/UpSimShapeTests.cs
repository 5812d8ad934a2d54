using Vcm.Api;
using Vcm.Testing;
using Xunit;

namespace Vcm.EndToEnd.Tests;

/// <summary>`vcm up --sim N` with a host shape: its simulated hosts have that shape (the flags reach the agent it starts).</summary>
public sealed class UpSimShapeTests
{
    [Fact]
    public async Task SimCpusMemoryAndDisk_ReachTheHosts()
    {
        using var data = new TempDirectory("vcm-e2e-up-shape");
        var (up, cli) = await SimUp.StartAsync(data.Path, 2, "--sim-cpus", "7", "--sim-memory", "3G", "--sim-disk", "50G");
        await using (up)
        {
            var hosts = await cli.JsonAsync<List<HostView>>("host", "list");
            Assert.Equal(2, hosts.Count);
            Assert.All(hosts, h => Assert.Equal(new CapacityView(7, "3G", "50G"), h.Capacity));
        }
    }
}
