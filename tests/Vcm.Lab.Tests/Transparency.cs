using System.Globalization;
using System.Text.RegularExpressions;
using Vcm.Api;
using Vcm.Domain.Networking;
using Xunit;

namespace Vcm.Lab.Tests;

/// <summary>
/// What software inside a cluster sees of its network, checked from inside: every node reaches every other, every
/// name resolves to its node, a broadcast ping is answered by every node, and a TCP stream between two nodes
/// arrives whole. The same check runs on a cluster of one site and on one spread over two.
/// </summary>
public static partial class Transparency
{
    public const int StreamBytes = 8 * 1024 * 1024;

    public static async Task CheckAsync(LabFixture lab, ClusterView cluster)
    {
        var nodes = cluster.Nodes!;
        var ips = string.Join(' ', nodes.Select(n => n.Ip));
        foreach (var node in nodes)
        {
            var pings = await lab.SshAsync(cluster.Name, node.Name, $"for ip in {ips}; do ping -c 1 -W 5 $ip >/dev/null 2>&1 || echo FAIL $ip; done; echo DONE");
            Assert.True(pings.ExitCode == 0 && pings.StandardOutput.Contains("DONE", StringComparison.Ordinal) && !pings.StandardOutput.Contains("FAIL", StringComparison.Ordinal),
                $"{cluster.Name}/{node.Name} pinging every node: {pings.StandardOutput}{pings.StandardError}");
        }

        var last = nodes[^1];
        var lookups = await lab.SshAsync(cluster.Name, last.Name, string.Join("; ", nodes.Select(n => $"nslookup {n.Name}")));
        Assert.True(lookups.ExitCode == 0, $"name lookups on {last.Name}: {lookups.StandardError}{lookups.StandardOutput}");
        foreach (var node in nodes)
        {
            Assert.Contains(node.Ip!, lookups.StandardOutput, StringComparison.Ordinal);
        }

        // Linux ignores broadcast echo requests by default: let every node answer them, then ask from the head.
        foreach (var node in nodes)
        {
            var allow = await lab.SshAsync(cluster.Name, node.Name, "echo 0 > /proc/sys/net/ipv4/icmp_echo_ignore_broadcasts");
            Assert.True(allow.ExitCode == 0, allow.StandardError);
        }

        var broadcast = Ipv4Subnet.Parse(cluster.Subnet).Broadcast;
        var answers = await lab.SshAsync(cluster.Name, nodes[0].Name, $"ping -c 3 -W 5 {broadcast}");
        var from = Reply().Matches(answers.StandardOutput).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        foreach (var node in nodes.Skip(1))
        {
            Assert.True(from.Contains(node.Ip!), $"{node.Name} ({node.Ip}, site {node.Site}) did not answer the broadcast ping: {answers.StandardOutput}");
        }

        var first = nodes[0];

        // A TCP stream from the last node to the first (HTTP: busybox's nc ends before its input is sent), checked whole.
        var serve = await lab.SshAsync(cluster.Name, last.Name,
            $"mkdir -p /tmp/www && dd if=/dev/urandom of=/tmp/www/payload bs=65536 count={StreamBytes / 65536} 2>/dev/null && " +
            "(setsid busybox httpd -f -p 8080 -h /tmp/www </dev/null >/dev/null 2>&1 & echo $! > /tmp/httpd.pid) && md5sum /tmp/www/payload");
        Assert.True(serve.ExitCode == 0, $"{last.Name} serving the stream: {serve.StandardError}{serve.StandardOutput}");
        var sent = serve.StandardOutput.Trim().Split(' ')[0];
        var fetch = await lab.SshAsync(cluster.Name, first.Name, $"sleep 1; busybox wget -q -O - http://{last.Ip}:8080/payload | tee /tmp/stream | md5sum; wc -c < /tmp/stream");
        await lab.SshAsync(cluster.Name, last.Name, "kill $(cat /tmp/httpd.pid)");
        var lines = fetch.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(
            lines.Length == 2 && lines[0].Split(' ')[0] == sent && lines[1] == StreamBytes.ToString(CultureInfo.InvariantCulture),
            $"{first.Name} fetching {StreamBytes} bytes (md5 {sent}) from {last.Name}: {fetch.StandardOutput}{fetch.StandardError}");
    }

    [GeneratedRegex(@"bytes from (\d+\.\d+\.\d+\.\d+)")]
    private static partial Regex Reply();
}
