using System.Globalization;
using System.Text.Json;
using Vcm.Drivers.Processes;
using Vcm.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Vcm.Lab.Tests;

/// <summary>
/// Redundant WAN paths on `vcm up --lab 2x2 --wan-paths 2`: the cluster's VPN ends keep a tunnel on each path and
/// bridge one; when the active path's link goes down, both ends move to the standby while node-01 at site a pings
/// node-02 at site b every 10 ms and holds a TCP connection to it.
/// </summary>
public sealed class WanPathsLabTests(WanPathsLabFixture lab, ITestOutputHelper output) : IClassFixture<WanPathsLabFixture>
{
    private const int Lines = 200;

    [Fact]
    public async Task TheActivePathCut_PingStreamResumes_TcpSurvives_NeverTwoPathsBridged()
    {
        var w1 = await lab.Cli.JsonAsync<Vcm.Api.ClusterView>("cluster", "show", "w1");
        var remote = w1.Nodes!.Single(n => n.Site == "b");
        Assert.Equal("a", w1.Nodes!.Single(n => n.Name == "node-01").Site);

        // each gateway host has a tunnel per path, one of them on the bridge: path 1's
        var before = await BridgedAsync();
        Assert.Equal((2, 2), (before.A.Taps, before.B.Taps));
        Assert.Equal((1, 1), (before.A.Bridged.Count, before.B.Bridged.Count));

        // a TCP connection node-01 → node-02 sending a line each 100 ms for 20 s, and a ping every 10 ms for 20 s
        // (the listener's input stays open: busybox nc ends the connection when its input ends)
        Ok(await lab.SshAsync("w1", remote.Name, "rm -f /tmp/tcp.out; setsid sh -c 'sleep 300 | nc -l -p 5001 >/tmp/tcp.out 2>&1' </dev/null >/dev/null 2>&1 &"));
        Ok(await lab.SshAsync("w1", "node-01",
            $"rm -f /tmp/ping.* /tmp/nc.rc; setsid sh -c 'ping -i 0.01 -w 20 {remote.Ip} >/tmp/ping.out 2>&1; touch /tmp/ping.done' </dev/null >/dev/null 2>&1 & " +
            $"setsid sh -c '(i=0; while [ $i -lt {Lines} ]; do echo line-$i; i=$((i+1)); sleep 0.1; done) | nc {remote.Ip} 5001; echo $? >/tmp/nc.rc' </dev/null >/dev/null 2>&1 &"));
        Assert.True(await RepliesAsync(100), "the ping stream never started");

        var bridgedAtCut = before.A.Bridged.Single();
        var cut = await WanLinkOfAsync(bridgedAtCut);
        await Ip("-n", "vcl-a1", "link", "set", cut, "down");
        try
        {
            // watch the bridges' ports at both ends until the ping ends
            var looks = 0;
            while (!(await lab.SshAsync("w1", "node-01", "[ -f /tmp/ping.done ] && echo DONE")).StandardOutput.Contains("DONE", StringComparison.Ordinal))
            {
                for (var i = 0; i < 10; i++)
                {
                    var now = await BridgedAsync();
                    Assert.True(now.A.Bridged.Count <= 1 && now.B.Bridged.Count <= 1,
                        $"two paths bridged: a1 {string.Join(",", now.A.Bridged)}, b1 {string.Join(",", now.B.Bridged)}");
                    looks++;
                    await Task.Delay(50);
                }
            }

            // both ends are on the standby now
            var after = await BridgedAsync();
            Assert.NotEqual(bridgedAtCut, Assert.Single(after.A.Bridged));
            Assert.NotEqual(before.B.Bridged.Single(), Assert.Single(after.B.Bridged));

            var ping = (await lab.SshAsync("w1", "node-01", "cat /tmp/ping.out")).StandardOutput;
            var stream = PingStream.Parse(ping);
            output.WriteLine($"cut {cut} at a1; {looks} looks at the bridges, never two paths bridged; ping every 10 ms: {stream.Sent} sent, {stream.Received} answered, {stream.Lost} lost, longest gap {stream.LongestGap} missing replies (~{stream.LongestGap * 10} ms), answered again after it: {stream.ResumedAfter}");
            Assert.True(stream.ResumedAfter > 0, $"the ping stream did not resume after the cut:\n{Tail(ping)}");

            // the TCP connection carried every line, in order, and ended cleanly
            Assert.True(await NcDoneAsync(), "the TCP sender did not finish");
            Assert.Equal("0", (await lab.SshAsync("w1", "node-01", "cat /tmp/nc.rc")).StandardOutput.Trim());
            var received1 = (await lab.SshAsync("w1", remote.Name, "cat /tmp/tcp.out")).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(Enumerable.Range(0, Lines).Select(i => $"line-{i.ToString(CultureInfo.InvariantCulture)}"), received1);
        }
        finally
        {
            await Ip("-n", "vcl-a1", "link", "set", cut, "up");
        }
    }

    private async Task<bool> RepliesAsync(int count)
    {
        for (var i = 0; i < 60; i++)
        {
            var n = (await lab.SshAsync("w1", "node-01", "grep -c seq= /tmp/ping.out")).StandardOutput.Trim();
            if (int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var replies) && replies >= count)
            {
                return true;
            }

            await Task.Delay(500);
        }

        return false;
    }

    private async Task<bool> NcDoneAsync()
    {
        for (var i = 0; i < 60; i++)
        {
            if ((await lab.SshAsync("w1", "node-01", "[ -f /tmp/nc.rc ] && echo DONE")).StandardOutput.Contains("DONE", StringComparison.Ordinal))
            {
                return true;
            }

            await Task.Delay(500);
        }

        return false;
    }

    /// <summary>At a1 and b1: how many VPN taps there are, and which are on a bridge.</summary>
    private static async Task<((int Taps, List<string> Bridged) A, (int Taps, List<string> Bridged) B)> BridgedAsync() =>
        (await TapsAsync("vcl-a1"), await TapsAsync("vcl-b1"));

    private static async Task<(int Taps, List<string> Bridged)> TapsAsync(string netns)
    {
        using var links = JsonDocument.Parse(await Ip("-n", netns, "-j", "-d", "link", "show"));
        var taps = links.RootElement.EnumerateArray()
            .Where(l => l.TryGetProperty("ifalias", out var alias) && alias.GetString()!.StartsWith("vcm-vpn:", StringComparison.Ordinal)).ToList();
        return (taps.Count, taps.Where(t => t.TryGetProperty("master", out _)).Select(t => t.GetProperty("ifname").GetString()!).ToList());
    }

    /// <summary>The WAN link at a1 that a VPN tap's openvpn uses: the link holding the local address in its config.</summary>
    private async Task<string> WanLinkOfAsync(string tap)
    {
        var config = Directory.GetFiles(Path.Combine(lab.DataDirectory, "lab", "hosts", "a1", "vpns"), "openvpn*.conf", SearchOption.AllDirectories)
            .Single(f => File.ReadAllText(f).Contains($"dev {tap}\n", StringComparison.Ordinal));
        var local = File.ReadAllLines(config).Single(l => l.StartsWith("local ", StringComparison.Ordinal))[6..];
        using var addresses = JsonDocument.Parse(await Ip("-n", "vcl-a1", "-j", "addr", "show"));
        return addresses.RootElement.EnumerateArray()
            .Single(l => l.GetProperty("addr_info").EnumerateArray().Any(a => a.TryGetProperty("local", out var x) && x.GetString() == local))
            .GetProperty("ifname").GetString()!;
    }

    private static async Task<string> Ip(params string[] args)
    {
        var result = await ProcessRunner.Instance.RunAsync(new ProcessSpec("ip", args), CancellationToken.None);
        result.EnsureSuccess();
        return result.StandardOutput;
    }

    private static void Ok(ProcessResult result) =>
        Assert.True(result.Succeeded, $"exit {result.ExitCode}: {result.StandardError}{result.StandardOutput}");

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(20));
}
