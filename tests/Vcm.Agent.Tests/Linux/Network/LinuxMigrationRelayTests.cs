using System.Security.Cryptography;
using System.Text;
using Vcm.Agent.Execution;
using Vcm.Drivers;
using Vcm.Drivers.Network;
using Vcm.Drivers.Processes;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Network;

/// <summary>
/// Migration relay ends made by the Linux driver on two namespace "hosts" whose bridges are joined (<see cref="RelayLab"/>):
/// what the source's QEMU writes to the sending end's sockets reaches the receiver's sockets on the other host and back,
/// each channel to its own socket; a connection from another address on the segment is refused; ensures are idempotent
/// and revive a dead socat; a delete or a wipe leaves nothing.
/// </summary>
public sealed class LinuxMigrationRelayTests
{
    [NetworkAdminFact]
    public async Task Relay_BothEnds_CarryEachChannelToItsReceiverSocketAndBack()
    {
        await using var lab = await RelayLab.CreateAsync();

        var receiving = await lab.Driver2.EnsureMigrationRelayAsync(lab.Receive, CancellationToken.None);
        var sending = await lab.Driver1.EnsureMigrationRelayAsync(lab.Send, CancellationToken.None);
        var memory = RelayLab.SocketOf(sending.Status.MigrationUri);
        var disk = RelayLab.SocketOf(sending.Status.DiskUri);
        var bulk = RandomNumberGenerator.GetBytes(4 << 20);
        var memoryPrefix = Encoding.UTF8.GetBytes("memory=");

        Assert.Equal((EnsureOutcome.Created, EnsureOutcome.Created), (receiving.Outcome, sending.Outcome));
        Assert.Equal(("n1", lab.H1), (sending.Status.Name, sending.Status.Host));
        Assert.Equal($"unix:{lab.Context1.Paths.Relay(lab.Send.Name)}/memory.sock", sending.Status.MigrationUri);
        Assert.Equal($"nbd+unix:///disk0?socket={lab.Context1.Paths.Relay(lab.Send.Name)}/disk.sock", sending.Status.DiskUri);
        Assert.Equal("memory=to the receiver's memory socket", await UnixEchoServer.AskAsync(memory, "to the receiver's memory socket"));
        Assert.Equal("disk=to the receiver's disk socket", await UnixEchoServer.AskAsync(disk, "to the receiver's disk socket"));
        var echoed = await UnixEchoServer.AskAsync(memory, bulk);
        Assert.Equal(memoryPrefix.Concat(bulk).ToArray(), echoed);
        Assert.Equal((2, 1), (lab.MemoryServer.Accepted, lab.DiskServer.Accepted));

        // each end's veth is on the cluster's bridge at its MTU; inside, seg0 holds the end's address
        foreach (var (ns, spec) in new[] { (lab.H1, lab.Send), (lab.H2, lab.Receive) })
        {
            var hostEnd = await RelayLab.LinkAsync(ns, spec.Name);
            Assert.Equal(RelayLab.Bridge, hostEnd?["master"]?.GetValue<string>());
            Assert.Equal((await RelayLab.LinkAsync(ns, RelayLab.Bridge))?["mtu"]?.GetValue<int>(), hostEnd?["mtu"]?.GetValue<int>());
            var inside = await NetnsLab.RunAsync("ip", "-n", spec.Name, "-6", "addr", "show", "dev", "seg0");
            Assert.Contains($"inet6 {System.Net.IPAddress.Parse(spec.LocalAddress)}/64", inside.StandardOutput, StringComparison.Ordinal);
            var acceptRa = await NetnsLab.InAsync(spec.Name, "sysctl", "-n", "net.ipv6.conf.seg0.accept_ra");
            Assert.Equal("0", acceptRa.StandardOutput.Trim());
        }
    }

    [NetworkAdminFact]
    public async Task Relay_ConnectionFromAnotherAddressOnTheSegment_IsRefused()
    {
        await using var lab = await RelayLab.CreateAsync();
        var sending = await lab.EnsureBothAsync();
        // a stranger on the segment at host 2, in the migration's own /64
        var stranger = await lab.Lab.AddNodeAsync(lab.H2, RelayLab.Bridge, "st", "52:54:00:aa:bb:09");
        var strangerAddress = lab.Receive.LocalAddress[..lab.Receive.LocalAddress.LastIndexOf(':')] + ":9";
        await NetnsLab.RunAsync("ip", "-n", stranger, "addr", "add", strangerAddress + "/64", "dev", "eth0", "nodad");

        var reachable = await NetnsLab.EventuallyAsync(async () =>
            (await NetnsLab.InAsync(stranger, "busybox", "ping6", "-c", "1", "-W", "1", lab.Receive.LocalAddress)).Succeeded, attempts: 10, pauseMs: 100);
        var answer = await NetnsLab.Runner.RunAsync(
            new ProcessSpec("ip", ["netns", "exec", stranger, "socat", "-t", "3", "-", $"TCP6:[{lab.Receive.LocalAddress}]:{lab.Receive.MemoryPort}"])
            {
                StandardInput = "let me in\n",
                Timeout = TimeSpan.FromSeconds(30),
            },
            CancellationToken.None);
        var log = await File.ReadAllTextAsync(Path.Combine(lab.Context2.Paths.Relay(lab.Receive.Name), "memory.log"));

        Assert.True(reachable, "the stranger cannot reach the receiving end's address at all");
        Assert.Equal("", answer.StandardOutput);
        Assert.Equal(0, lab.MemoryServer.Accepted);
        Assert.Contains("due to range option", log, StringComparison.Ordinal);
        // the sending end still gets through
        Assert.Equal("memory=still open to the sender", await UnixEchoServer.AskAsync(RelayLab.SocketOf(sending.MigrationUri), "still open to the sender"));
    }

    [NetworkAdminFact]
    public async Task EnsureRelay_Twice_SecondIsUnchanged_SameAnswerAndProcesses_DeadSocatRestartedByTheNext()
    {
        await using var lab = await RelayLab.CreateAsync();
        var first = await lab.EnsureBothAsync();
        var pids = (RelayLab.Pid(lab.Context1, lab.Send.Name, "memory"), RelayLab.Pid(lab.Context2, lab.Receive.Name, "disk"));

        var again = await lab.Driver1.EnsureMigrationRelayAsync(lab.Send, CancellationToken.None);
        var receiving = await lab.Driver2.EnsureMigrationRelayAsync(lab.Receive, CancellationToken.None);
        Assert.Equal((EnsureOutcome.Unchanged, EnsureOutcome.Unchanged), (again.Outcome, receiving.Outcome));
        Assert.Equal(first, again.Status);
        Assert.Equal(pids, (RelayLab.Pid(lab.Context1, lab.Send.Name, "memory"), RelayLab.Pid(lab.Context2, lab.Receive.Name, "disk")));

        Assert.True(Signals.ForceKill(pids.Item2));
        Assert.True(await NetnsLab.EventuallyAsync(() => Task.FromResult(!Running(pids.Item2))), "the killed socat did not die");
        var revived = await lab.Driver2.EnsureMigrationRelayAsync(lab.Receive, CancellationToken.None);

        Assert.Equal(EnsureOutcome.Updated, revived.Outcome);
        Assert.NotEqual(pids.Item2, RelayLab.Pid(lab.Context2, lab.Receive.Name, "disk"));
        Assert.Equal("disk=after the restart", await UnixEchoServer.AskAsync(RelayLab.SocketOf(first.DiskUri), "after the restart"));
    }

    [NetworkAdminFact]
    public async Task DeleteRelay_WithAConnectionOpen_RemovesNamespaceVethProcessesAndFolder_SecondIsAbsent()
    {
        await using var lab = await RelayLab.CreateAsync();
        var sending = await lab.EnsureBothAsync();
        // a connection held open: each end has a forked socat serving it besides the listening one
        using var held = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        await held.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(RelayLab.SocketOf(sending.MigrationUri)));
        await held.SendAsync(Encoding.UTF8.GetBytes("held"));
        Assert.True(await NetnsLab.EventuallyAsync(() => Task.FromResult(lab.MemoryServer.Accepted == 1)), "the held connection did not reach the receiver");
        var processes = new List<int>();
        foreach (var name in new[] { lab.Send.Name, lab.Receive.Name })
        {
            processes.AddRange(await PidsAsync(name));
        }

        Assert.True(processes.Count >= 6, $"expected two socats and a forked child per channel and end, found {processes.Count}");

        var deleted = (await lab.Driver1.DeleteMigrationRelayAsync(lab.Send.Name, CancellationToken.None), await lab.Driver2.DeleteMigrationRelayAsync(lab.Receive.Name, CancellationToken.None));
        var again = (await lab.Driver1.DeleteMigrationRelayAsync(lab.Send.Name, CancellationToken.None), await lab.Driver2.DeleteMigrationRelayAsync(lab.Receive.Name, CancellationToken.None));

        Assert.Equal((DeleteOutcome.Deleted, DeleteOutcome.Deleted), deleted);
        Assert.Equal((DeleteOutcome.Absent, DeleteOutcome.Absent), again);
        foreach (var (ns, context, name) in new[] { (lab.H1, lab.Context1, lab.Send.Name), (lab.H2, lab.Context2, lab.Receive.Name) })
        {
            Assert.False(await RelayLab.NamespaceExistsAsync(name), $"namespace {name} is left");
            Assert.Null(await RelayLab.LinkAsync(ns, name));
            Assert.False(Directory.Exists(context.Paths.Relay(name)), $"the folder of {name} is left");
        }

        Assert.DoesNotContain(processes, Running);
        Assert.Empty((await lab.Driver1.ListAsync(CancellationToken.None)).Relays);
    }

    [NetworkAdminFact]
    public async Task Wipe_RemovesEveryRelayEndOfItsHostOnly()
    {
        await using var lab = await RelayLab.CreateAsync();
        await lab.EnsureBothAsync();
        var socats = new[] { RelayLab.Pid(lab.Context1, lab.Send.Name, "memory"), RelayLab.Pid(lab.Context1, lab.Send.Name, "disk") };

        Assert.Equal([lab.Send.Name], (await lab.Driver1.ListAsync(CancellationToken.None)).Relays);
        var (removed, problems) = await HostWipe.RunAsync(new NetworkOnlyHost(lab.H1, lab.Driver1), CancellationToken.None);

        Assert.Empty(problems);
        Assert.Equal(1, removed);
        Assert.False(await RelayLab.NamespaceExistsAsync(lab.Send.Name));
        Assert.Null(await RelayLab.LinkAsync(lab.H1, lab.Send.Name));
        Assert.False(Directory.Exists(lab.Context1.Paths.Relay(lab.Send.Name)));
        Assert.DoesNotContain(socats, Running);
        Assert.True(await RelayLab.NamespaceExistsAsync(lab.Receive.Name), "host 1's wipe removed host 2's relay end");

        var (removed2, problems2) = await HostWipe.RunAsync(new NetworkOnlyHost(lab.H2, lab.Driver2), CancellationToken.None);
        Assert.Empty(problems2);
        Assert.Equal(1, removed2);
        Assert.False(await RelayLab.NamespaceExistsAsync(lab.Receive.Name));
        Assert.Empty((await lab.Driver2.ListAsync(CancellationToken.None)).Relays);
    }

    /// <summary>Whether the process runs (has not exited: a zombie not yet reaped by its adoptive parent has).</summary>
    private static bool Running(int pid) => ProcessIdentity.Of(pid) is { IsRunning: true };

    private static async Task<IReadOnlyList<int>> PidsAsync(string ns) =>
        Vcm.Agent.Linux.Network.IpQueries.ParsePids((await NetnsLab.RunAsync("ip", "netns", "pids", ns)).StandardOutput);
}
