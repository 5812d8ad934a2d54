using System.Diagnostics;
using Vcm.Agent.Metadata;
using Vcm.Drivers.Network;
using Vcm.Drivers.Processes;
using Vcm.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Vcm.Agent.Tests.Linux.Micro;

/// <summary>
/// The micro guest, booted for real under QEMU/TCG: both sides of docs/guest-protocol.md meet — DHCP from dnsmasq,
/// metadata from the real `vcm metadata` process in a gateway namespace, phone-home, SSH pinned to the reported key.
/// </summary>
[Collection(MicroImageCollection.Name)]
public sealed class MicroBootTests(MicroImageFixture image, ITestOutputHelper output) : IDisposable
{
    private const string NodeName = "node-e2e";
    private const string NodeMac = "52:54:00:77:00:10";
    private const string NodeIp = "10.77.0.10";
    private const int Mtu = 1400;

    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(8));

    private CancellationToken Ct => _timeout.Token;

    public void Dispose() => _timeout.Dispose();

    [BootFact]
    public async Task Boot_OnSegmentWithGateway_PhonesHomeAndTakesSshPinnedToTheReportedKey()
    {
        await image.BuildAsync(Ct);
        await using var lab = await BootLab.CreateAsync(Ct);
        try
        {
            var (key, token) = await StartGatewayAsync(lab, hostKey: null, Ct);

            var started = Stopwatch.GetTimestamp();
            // the token comes by fw_cfg only (the node phones home with it); vm.name differs from the metadata's hostname, so the hostname the node ends with proves the metadata was read
            await lab.StartVmAsync(image, "n1", NodeMac, $"console=ttyS0 quiet panic=-1 vm.name=booting", token, Ct);
            var report = await WaitForReportAsync(lab, Ct);
            output.WriteLine($"phone-home {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s after QEMU started (guest uptime {report.Uptime} s)");

            Assert.Equal((NodeName, NodeIp, NodeName, "7"), (report.Name, report.Ip, report.Hostname, report.ScriptRc));
            Assert.StartsWith("ssh-ed25519 ", report.HostKey, StringComparison.Ordinal);
            Assert.Equal(HostKeys.Fingerprint(report.HostKey), report.Fingerprint);
            Assert.Contains($"host key {report.Fingerprint}", await File.ReadAllTextAsync(lab.Files.Combine("n1.console"), Ct), StringComparison.Ordinal);
            // one service per gateway: it must not spend root's few inotify instances
            var fds = Directory.GetFiles($"/proc/{lab.MetadataProcessId}/fd").Select(fd => new FileInfo(fd).LinkTarget);
            Assert.DoesNotContain("anon_inode:inotify", fds);

            var knownHosts = lab.Files.Combine("known_hosts");
            await File.WriteAllTextAsync(knownHosts, $"{NodeIp} {report.HostKey}\n", Ct);
            var ssh = await SshAsync(lab, key, knownHosts, "hostname; cat /sys/class/net/eth0/mtu; cat /run/user-script-ran", Ct);
            Assert.True(ssh.Succeeded, $"ssh failed: {ssh.StandardError}\n{lab.Diagnostics()}");
            Assert.Equal([NodeName, Mtu.ToString(System.Globalization.CultureInfo.InvariantCulture), "ran"], ssh.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));

            // the pin is real: another key for the same address is refused
            var (otherKey, _) = Metadata.SshKeyLines.Ed25519();
            await File.WriteAllTextAsync(knownHosts, $"{NodeIp} {string.Join(' ', otherKey.Split(' ').Take(2))}\n", Ct);
            var refused = await SshAsync(lab, key, knownHosts, "hostname", Ct);
            Assert.False(refused.Succeeded);
            Assert.Contains("host key", refused.StandardError, StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception) when (Report(lab))
        {
            throw;
        }
    }

    [BootFact]
    public async Task Boot_WithTheHostKeyTheManagerMade_AnswersWithThatKey_AndAgainWhenBuiltAnew()
    {
        await image.BuildAsync(Ct);
        await using var lab = await BootLab.CreateAsync(Ct);
        try
        {
            var given = Manager.Ssh.NodeHostKeys.Create($"root@{NodeName}.e2e");
            var (key, token) = await StartGatewayAsync(lab, given.PrivateKey, Ct);
            var knownHosts = lab.Files.Combine("known_hosts");
            await File.WriteAllTextAsync(knownHosts, $"{NodeIp} {given.PublicLine}\n", Ct);

            // built twice, as a node whose host died is built again elsewhere: an initramfs guest keeps nothing, so
            // without the given key every boot would answer with a new one
            foreach (var vm in new[] { "k1", "k2" })
            {
                GatewayFiles.DeleteReport(lab.GatewayDir, NodeName);
                var running = await lab.StartVmAsync(image, vm, NodeMac, "console=ttyS0 quiet panic=-1 vm.name=booting", token, Ct);
                var report = await WaitForReportAsync(lab, Ct);

                Assert.Equal((given.PublicLine, given.Fingerprint), (report.HostKey, report.Fingerprint));
                Assert.Contains("host key: the one vcm made", await File.ReadAllTextAsync(lab.Files.Combine($"{vm}.console"), Ct), StringComparison.Ordinal);
                var ssh = await SshAsync(lab, key, knownHosts, "hostname; ls /run/meta", Ct);
                Assert.True(ssh.Succeeded, $"{vm}: ssh pinned to the given key failed: {ssh.StandardError}\n{lab.Diagnostics()}");
                Assert.Equal(NodeName, ssh.StandardOutput.Split('\n')[0]);
                Assert.DoesNotContain("host-key", ssh.StandardOutput, StringComparison.Ordinal); // the private key is not left lying about

                running.Kill();
                await running.WaitForExitAsync(Ct);
            }
        }
        catch (Exception) when (Report(lab))
        {
            throw;
        }
    }

    [ToolsFact(false, "qemu-system-x86_64", "apt-get", "apt-cache", "dpkg-deb")]
    public async Task Boot_ProbeMode_PrintsProbeOkAndPowersOffUnderTcg()
    {
        await image.BuildAsync(Ct);
        using var files = new TempDirectory("vct-probe");
        var console = files.Combine("probe.console");
        var args = BootLab.Qemu(image, console, "console=ttyS0 quiet panic=-1 vm.probe=1");
        var started = Stopwatch.GetTimestamp();

        var result = await ProcessRunner.Instance.RunAsync(new ProcessSpec(args[0], args[1..]) { Timeout = TimeSpan.FromMinutes(3) }, Ct);

        output.WriteLine($"probe: QEMU exited {result.ExitCode} after {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
        var text = await File.ReadAllTextAsync(console, Ct);
        Assert.True(result.Succeeded, $"QEMU exited {result.ExitCode}: {result.StandardError}\n{text}");
        Assert.Contains("VCM-PROBE-OK", text, StringComparison.Ordinal);
    }

    /// <summary>The test's login key (its file), and the node's token; the gateway's dnsmasq and metadata service serving the node.</summary>
    private static async Task<(string Key, string Token)> StartGatewayAsync(BootLab lab, string? hostKey, CancellationToken cancellationToken)
    {
        var key = lab.Files.Combine("id_ed25519");
        (await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "vcm-test", "-f", key), cancellationToken)).EnsureSuccess();
        var token = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        await GatewayFiles.WriteNodesAsync(lab.GatewayDir, Gateway(await File.ReadAllTextAsync(key + ".pub", cancellationToken), token, hostKey), cancellationToken);
        lab.StartDnsmasq([(NodeMac, NodeIp, NodeName)], Mtu);
        await lab.StartMetadataAsync(cancellationToken);
        return (key, token);
    }

    private static GatewaySpec Gateway(string publicKey, string token, string? hostKey = null) => new()
    {
        Name = "vct-gw",
        Bridge = "br0",
        Subnet = "10.77.0.0/24",
        Address = BootLab.GatewayIp,
        Domain = "e2e",
        Mtu = Mtu,
        Nodes = [new GatewayNode(NodeName, NodeMac, NodeIp, [publicKey.Trim()], "#!/bin/sh\necho ran > /run/user-script-ran\nexit 7\n", token, HostKey: hostKey)],
    };

    private static async Task<NodeReport> WaitForReportAsync(BootLab lab, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            if ((await GatewayFiles.ReadReportsAsync(lab.GatewayDir, cancellationToken)).FirstOrDefault() is { } report)
            {
                return report;
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"no phone-home within 3 minutes\n{lab.Diagnostics()}");
    }

    private static async Task<ProcessResult> SshAsync(BootLab lab, string key, string knownHosts, string command, CancellationToken cancellationToken)
    {
        string[] ssh =
        [
            "ssh", "-F", "/dev/null", "-o", $"UserKnownHostsFile={knownHosts}", "-o", "GlobalKnownHostsFile=/dev/null",
            "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "ConnectTimeout=5", "-o", "LogLevel=ERROR",
            "-i", key, $"root@{NodeIp}", command,
        ];
        return await lab.InGatewayAsync(ssh, cancellationToken);
    }

    private bool Report(BootLab lab)
    {
        output.WriteLine(lab.Diagnostics());
        return false;
    }
}
