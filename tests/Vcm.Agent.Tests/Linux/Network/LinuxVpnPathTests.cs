using Vcm.Agent.Linux.Network;
using Vcm.Drivers;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Network;

/// <summary>
/// VPN ends of two WAN paths on two namespace "sites": a tunnel per path, both kept up; the path selector (what the
/// agent runs every 200 ms, run here by the test) bridges exactly one path's tap at each end, moves both ends to the
/// standby when the active path's link goes down, and back once it has been up for the hold-down.
/// </summary>
public sealed class LinuxVpnPathTests
{
    [NetworkAdminFact]
    public async Task TwoPaths_OneBridgedAtATime_StandbyTakesOverWhenTheLinkGoesDown_AndPath1WhenItComesBack()
    {
        await using var sites = await VpnLab.CreateAsync();
        Assert.Equal(EnsureOutcome.Created, await sites.EnsureAsync(VpnLab.WithSecondPath(sites.Server())));
        Assert.Equal(EnsureOutcome.Created, await sites.EnsureAsync(VpnLab.WithSecondPath(sites.Client())));
        var (a, _) = await sites.NodesAsync();
        var path1 = VpnLayout.TapName(sites.Name);
        var path2 = VpnLayout.TapName(sites.Name + "/2");
        var seen = new List<string>();

        // both tunnels come up; path 1 is bridged at both ends and traffic crosses
        Assert.True(await SelectUntilAsync(sites, seen, path1, () => NetnsLab.PingsAsync(a, VpnLab.NodeB)), Seen("path 1 never carried traffic", seen));
        Assert.Equal(2, (await sites.TapsAsync(sites.SiteA)).Count);
        Assert.True(await StandbyUpAsync(sites), "the standby tunnel did not come up within 30 s");

        await NetnsLab.RunAsync("ip", "-n", sites.SiteA, "link", "set", "wan0", "down");
        Assert.True(await SelectUntilAsync(sites, seen, path2, () => NetnsLab.PingsAsync(a, VpnLab.NodeB)), Seen("the standby never carried traffic", seen));

        await NetnsLab.RunAsync("ip", "-n", sites.SiteA, "link", "set", "wan0", "up");
        Assert.True(await SelectUntilAsync(sites, seen, path1, () => NetnsLab.PingsAsync(a, VpnLab.NodeB)), Seen("path 1 was never taken back", seen));
        Assert.Equal(EnsureOutcome.Unchanged, await sites.EnsureAsync(VpnLab.WithSecondPath(sites.Server())));
        Assert.Equal([path1], await sites.BridgedTapsAsync(sites.SiteA));
    }

    /// <summary>Path 2's tunnel connects on its own schedule: it may still be connecting when path 1 first carries traffic.</summary>
    private static async Task<bool> StandbyUpAsync(VpnLab sites)
    {
        var socket = Path.Combine(sites.Folder(sites.ContextA), "management-2.sock");
        for (var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            if (await VpnPaths.TunnelUpAsync(socket, CancellationToken.None))
            {
                return true;
            }
        }

        return false;
    }

    [NetworkAdminFact]
    public async Task TwoPathsThenOne_TheSecondPathsTunnelTapAndFilesGo_Path1BridgedAsWithOnePath()
    {
        await using var sites = await VpnLab.CreateAsync();
        await sites.EnsureAsync(VpnLab.WithSecondPath(sites.Server()));
        var path2 = VpnLayout.TapName(sites.Name + "/2");

        Assert.Equal(EnsureOutcome.Updated, await sites.EnsureAsync(sites.Server()));

        var taps = await sites.TapsAsync(sites.SiteA);
        var tap = Assert.Single(taps);
        Assert.Equal(VpnLayout.TapName(sites.Name), tap.GetProperty("ifname").GetString());
        Assert.Equal(sites.Bridge, tap.GetProperty("master").GetString());
        Assert.DoesNotContain(path2, taps.Select(t => t.GetProperty("ifname").GetString()));
        Assert.Empty(Directory.GetFiles(sites.Folder(sites.ContextA), "*-2.*"));
        Assert.False(File.Exists(Path.Combine(sites.Folder(sites.ContextA), "paths")));
    }

    /// <summary>
    /// Runs the selector at both sites, every 200 ms, until <paramref name="tap"/> is the one bridged at both and the
    /// probe passes (18 s at most); after each round, checks that no site ever has two taps on the bridge.
    /// </summary>
    private static async Task<bool> SelectUntilAsync(VpnLab sites, List<string> seen, string tap, Func<Task<bool>> probe)
    {
        for (var i = 0; i < 90; i++)
        {
            seen.AddRange(await sites.DriverA.SelectVpnPathsAsync(CancellationToken.None));
            seen.AddRange(await sites.DriverB.SelectVpnPathsAsync(CancellationToken.None));
            var bridgedA = await sites.BridgedTapsAsync(sites.SiteA);
            var bridgedB = await sites.BridgedTapsAsync(sites.SiteB);
            Assert.True(bridgedA.Count <= 1 && bridgedB.Count <= 1, $"two paths bridged: A {string.Join(",", bridgedA)}, B {string.Join(",", bridgedB)}");
            if (bridgedA.SequenceEqual([tap]) && bridgedB.SequenceEqual([tap]) && await probe())
            {
                return true;
            }

            await Task.Delay(200);
        }

        return false;
    }

    private static string Seen(string what, List<string> seen) => $"{what}; the selector did: {string.Join("; ", seen)}";
}
