using System.Diagnostics;
using Vcm.Agent.Linux.Compute;
using Vcm.Drivers;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Images;
using Vcm.Drivers.Network;
using Vcm.Drivers.Processes;
using Vcm.Drivers.Storage;
using Xunit;
using Xunit.Abstractions;

namespace Vcm.Agent.Tests.Linux.Compute;

/// <summary>
/// Live migration of a real guest between two test hosts joined by a VXLAN segment (<see cref="MigrationLab"/>): the
/// guest keeps its running kernel, its TCP connections and its address while a third place pings it every 10 ms.
/// </summary>
[Collection(LinuxHostCollection.Name)]
[RequiresLinuxHost]
public sealed class QemuMigrationTests(TestGuest guest, ITestOutputHelper output) : IAsyncLifetime
{
    private const string GuestAddress = "10.77.0.10";

    private readonly LinuxTestNames _names = new();
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(5));
    private MigrationLab? _lab;

    private CancellationToken Ct => _timeout.Token;

    private MigrationLab Lab => _lab!;

    public async Task InitializeAsync() => _lab = await MigrationLab.CreateAsync(guest);

    public async Task DisposeAsync()
    {
        if (_lab is not null)
        {
            await _lab.DisposeAsync();
        }

        _timeout.Dispose();
    }

    [HostFact]
    public async Task Migrate_GuestKeepsItsKernelConnectionAndAddress_WhilePinged_SourceEndsMigrated_DestinationBecomesAnOrdinaryVm()
    {
        var spec = await SpecWithVolumeAsync();
        await Lab.Source.Compute.EnsureVmAsync(spec, Ct);
        await Lab.Source.WaitForConsoleAsync(spec.Name, TestGuest.BootMarker);
        Assert.True(await Network.NetnsLab.PingsAsync(Lab.Probe.Name, GuestAddress), "the guest does not answer before its migration");
        using var connection = EchoConnection.Open(Lab.Probe.Name, GuestAddress);
        var bootId = await connection.AskAsync("boot");
        Assert.Equal("before", await connection.AskAsync("before"));
        Assert.Equal("written", await connection.AskAsync("disk=on-the-source-disk"));
        await using var pings = PingStream.Start(Lab.Probe.Name, GuestAddress);
        Assert.True(await pings.WaitForRepliesAsync(0, 20, TimeSpan.FromSeconds(30)), "no ping replies before the migration");

        var running = await Assert.ThrowsAsync<DriverException>(() => Lab.Source.Compute.PrepareIncomingAsync(spec, Lab.Source.Context.UnderlayAddress, Ct));
        var prepared = await Lab.Destination.Compute.PrepareIncomingAsync(spec, Lab.Destination.Context.UnderlayAddress, Ct);
        var again = await Lab.Destination.Compute.PrepareIncomingAsync(spec, Lab.Destination.Context.UnderlayAddress, Ct);
        Assert.True(running.Terminal, "a host where the VM runs cannot receive it");
        var receiverPid = Lab.Destination.VmPid(spec.Name);
        // the receiver opened the node's iSCSI volume beside the source (same initiator name): two sessions
        Assert.Equal(2, await IscsiSessionsAsync(spec.Volumes[0].Initiator));
        Assert.Equal(new VmStatus(spec.Name, VmState.Incoming), Assert.Single(await Lab.Destination.Compute.ListVmsAsync(Ct)));
        var early = await Assert.ThrowsAsync<DriverException>(() => Lab.Destination.Compute.EnsureVmAsync(spec, Ct));
        Assert.Contains("not completed", early.Message, StringComparison.Ordinal);
        Assert.Equal(receiverPid, Lab.Destination.VmPid(spec.Name));

        var before = pings.Replies;
        var clock = Stopwatch.StartNew();
        var reports = await Task.WhenAll(
            Lab.Source.Compute.MigrateVmAsync(spec.Name, prepared.Status, Ct),
            Lab.Source.Compute.MigrateVmAsync(spec.Name, prepared.Status, Ct));
        var wall = clock.Elapsed;
        var resumed = await pings.WaitForRepliesAsync(before, 100, TimeSpan.FromSeconds(30));
        var report = reports[0];

        var (replies, lost, gap) = pings.Summary();
        output.WriteLine("the destination's console since the switch-over:\n" + await Lab.Destination.Compute.ConsoleAsync(spec.Name, 4000, Ct));
        output.WriteLine($"migration: {report}; MigrateVm {wall.TotalMilliseconds:0} ms");
        output.WriteLine($"pings every 10 ms from a third host: {replies} replies, {lost} lost, longest gap between replies {gap:0} ms");
        Assert.Equal((EnsureOutcome.Created, EnsureOutcome.Unchanged), (prepared.Outcome, again.Outcome));
        Assert.Equal(prepared.Status, again.Status);
        Assert.True(report.Outcome == MigrationOutcome.Completed, report.Error);
        Assert.Equal(report, reports[1]);
        Assert.True(report is { TotalMs: > 0, MemoryBytes: > 0, DiskBytes: > 0 }, $"{report}");
        Assert.True(resumed, "pings were not answered again after the migration");
        Assert.Equal(VmState.Migrated, Assert.Single(await Lab.Source.Compute.ListVmsAsync(Ct)).State);
        Assert.Equal(report, await Lab.Source.Compute.MigrateVmAsync(spec.Name, prepared.Status, Ct));
        Assert.True((await Assert.ThrowsAsync<DriverException>(() => Lab.Source.Compute.EnsureVmAsync(spec, Ct))).Terminal);

        Assert.Equal(EnsureOutcome.Updated, (await Lab.Destination.Compute.EnsureVmAsync(spec, Ct)).Outcome);
        Assert.Equal(receiverPid, Lab.Destination.VmPid(spec.Name));
        Assert.Equal(VmState.Running, Assert.Single(await Lab.Destination.Compute.ListVmsAsync(Ct)).State);
        Assert.Equal(EnsureOutcome.Unchanged, (await Lab.Destination.NewCompute().EnsureVmAsync(spec, Ct)).Outcome);

        Assert.Equal(DeleteOutcome.Deleted, await Lab.Source.Compute.DeleteVmAsync(spec.Name, Ct));
        Assert.Equal(DeleteOutcome.Deleted, await Lab.Source.Images.DeleteDiskAsync(spec.Disk, Ct));
        Assert.Empty(await Lab.Source.Compute.ListVmsAsync(Ct));
        Assert.Equal(1, await IscsiSessionsAsync(spec.Volumes[0].Initiator));

        // the same TCP connection, the same running kernel, now on the destination
        var after = await connection.AskAsync("after");
        if (after is null)
        {
            using var fresh = EchoConnection.Open(Lab.Probe.Name, GuestAddress);
            output.WriteLine($"the connection did not answer after the migration; a new one answers {await fresh.AskAsync("fresh") ?? "nothing"}, the old one again {await connection.AskAsync("again") ?? "nothing"}");
        }

        Assert.Equal("after", after);
        Assert.Equal(bootId, await connection.AskAsync("boot"));
        // what the guest wrote on the source is on the destination's disk, which started empty over the image
        Assert.Equal("on-the-source-disk", await connection.AskAsync("disk"));
        Assert.True(await Network.NetnsLab.PingsAsync(Lab.Probe.Name, GuestAddress), "the guest does not answer once its source copy is gone");
    }

    [HostFact]
    public async Task Migrate_ThroughRelayEndsOnTheSegment_ReceiverOnUnixSockets_GuestKeepsItsKernelAndConnection()
    {
        var spec = await SpecAsync();
        await Lab.Source.Compute.EnsureVmAsync(spec, Ct);
        await Lab.Source.WaitForConsoleAsync(spec.Name, TestGuest.BootMarker);
        using var connection = EchoConnection.Open(Lab.Probe.Name, GuestAddress);
        var bootId = await connection.AskAsync("boot");
        Assert.Equal("written", await connection.AskAsync("disk=sent-through-the-relay"));
        await using var pings = PingStream.Start(Lab.Probe.Name, GuestAddress);
        Assert.True(await pings.WaitForRepliesAsync(0, 20, TimeSpan.FromSeconds(30)), "no ping replies before the migration");

        // the receiver listens on unix sockets in its folder; the relay ends carry the streams over the cluster's segment
        var prepared = await Lab.Destination.Compute.PrepareIncomingAsync(spec, IncomingVm.UnixSockets, Ct);
        var folder = Lab.Destination.VmFolder(spec.Name);
        Assert.Equal($"unix:{folder}/incoming-memory.sock", prepared.Status.MigrationUri);
        Assert.Equal($"nbd+unix:///disk0?socket={folder}/incoming-disk.sock", prepared.Status.DiskUri);
        var migration = "relay-" + _names.Name("m");
        var receiving = await Lab.NetworkOf(Lab.Destination).EnsureMigrationRelayAsync(
            MigrationRelaySpec.For(migration, spec.Name, Lab.Bridge, MigrationRelaySide.Receive, prepared.Status), Ct);
        var send = MigrationRelaySpec.For(migration, spec.Name, Lab.Bridge, MigrationRelaySide.Send);
        var sending = await Lab.NetworkOf(Lab.Source).EnsureMigrationRelayAsync(send, Ct);
        Assert.Equal((EnsureOutcome.Created, EnsureOutcome.Created), (receiving.Outcome, sending.Outcome));
        Assert.StartsWith("unix:" + Lab.Source.Context.Paths.Relay(send.Name), sending.Status.MigrationUri, StringComparison.Ordinal);

        var report = await Lab.Source.Compute.MigrateVmAsync(spec.Name, sending.Status, Ct);
        // the source is done once its last bytes are in the relay: the receiver runs once they are through and loaded
        var clock = Stopwatch.StartNew();
        var running = await Network.NetnsLab.EventuallyAsync(
            async () => (await Lab.Destination.Compute.ListVmsAsync(Ct)).SingleOrDefault()?.State == VmState.Running, attempts: 300, pauseMs: 100);
        var switched = clock.Elapsed;
        var resumed = await pings.WaitForRepliesAsync(pings.Replies, 50, TimeSpan.FromSeconds(30));

        var (replies, lost, gap) = pings.Summary();
        output.WriteLine($"migration through the relays: {report}; the receiver ran {switched.TotalMilliseconds:0} ms after MigrateVm returned");
        output.WriteLine($"pings every 10 ms from a third host: {replies} replies, {lost} lost, longest gap between replies {gap:0} ms");
        Assert.True(report.Outcome == MigrationOutcome.Completed, report.Error);
        Assert.True(report is { MemoryBytes: > 0, DiskBytes: > 0 }, $"{report}");
        Assert.True(running, "the receiver does not run after the migration completed");
        Assert.True(resumed, "pings were not answered by the receiver");
        Assert.Equal(EnsureOutcome.Updated, (await Lab.Destination.Compute.EnsureVmAsync(spec, Ct)).Outcome);
        Assert.False(File.Exists(Path.Combine(folder, "incoming-memory.sock")), "the adopted VM kept its incoming memory socket");
        Assert.False(File.Exists(Path.Combine(folder, "incoming-disk.sock")), "the adopted VM kept its incoming disk socket");
        Assert.Equal(DeleteOutcome.Deleted, await Lab.NetworkOf(Lab.Source).DeleteMigrationRelayAsync(send.Name, Ct));
        Assert.Equal(DeleteOutcome.Deleted, await Lab.NetworkOf(Lab.Destination).DeleteMigrationRelayAsync(MigrationRelaySpec.For(migration, spec.Name, Lab.Bridge, MigrationRelaySide.Receive).Name, Ct));
        Assert.Equal(DeleteOutcome.Deleted, await Lab.Source.Compute.DeleteVmAsync(spec.Name, Ct));

        // the same TCP connection, the same running kernel, the disk it wrote on the source: now on the destination
        Assert.Equal("after", await connection.AskAsync("after"));
        Assert.Equal(bootId, await connection.AskAsync("boot"));
        Assert.Equal("sent-through-the-relay", await connection.AskAsync("disk"));
    }

    [HostFact]
    public async Task Migrate_ReceiverOverAnotherImageVersion_IsRefused_NothingSent_SourceRunsOn()
    {
        var (spec, prepared) = await BootedWithReceiverAsync();
        Assert.False(string.IsNullOrEmpty(prepared.Status.Image));
        Assert.Contains("@", prepared.Status.Image, StringComparison.Ordinal);

        // as a peer site whose copy of the image is other bytes would report it
        var report = await Lab.Source.Compute.MigrateVmAsync(spec.Name, prepared.Status with { Image = TestGuest.ImageName + "@0123456789abcdef" }, Ct);

        Assert.Equal(MigrationOutcome.Failed, report.Outcome);
        Assert.Contains($"the receiver's over {TestGuest.ImageName}@0123456789abcdef: their disks would differ", report.Error, StringComparison.Ordinal);
        Assert.Contains(prepared.Status.Image, report.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Lab.Source.VmFolder(spec.Name), "migrating.json")), "the refused migration was started");
        Assert.Equal(VmState.Running, Assert.Single(await Lab.Source.Compute.ListVmsAsync(Ct)).State);
        Assert.True(await Network.NetnsLab.PingsAsync(Lab.Probe.Name, GuestAddress), "the source's guest does not answer after the refusal");

        // with the receiver's own version the same receiver takes it
        var moved = await Lab.Source.Compute.MigrateVmAsync(spec.Name, prepared.Status, Ct);
        Assert.True(moved.Outcome == MigrationOutcome.Completed, moved.Error);
    }

    [HostFact]
    public async Task Migrate_DestinationKilledMidway_Fails_SourceStillRunsAndAnswers()
    {
        var (spec, prepared) = await BootedWithReceiverAsync();
        var receiver = Lab.Destination.VmPid(spec.Name);

        // frozen, the receiver takes the source's connections and answers nothing: the migration is under way when it dies
        Assert.True(Signals.Stop(receiver));
        var migrating = Lab.Source.Compute.MigrateVmAsync(spec.Name, prepared.Status, Ct);
        var migratingFile = Path.Combine(Lab.Source.VmFolder(spec.Name), "migrating.json");
        Assert.True(await Network.NetnsLab.EventuallyAsync(() => Task.FromResult(File.Exists(migratingFile)), attempts: 200, pauseMs: 50), "the migration did not start");
        await Lab.Destination.KillVmAsync(spec.Name);
        var report = await migrating;

        output.WriteLine($"{report}");
        Assert.Equal(MigrationOutcome.Failed, report.Outcome);
        Assert.False(string.IsNullOrEmpty(report.Error));
        Assert.Equal(VmState.Running, Assert.Single(await Lab.Source.Compute.ListVmsAsync(Ct)).State);
        Assert.True(await Network.NetnsLab.PingsAsync(Lab.Probe.Name, GuestAddress), "the source's guest does not answer after the failed migration");
        using var connection = EchoConnection.Open(Lab.Probe.Name, GuestAddress);
        Assert.Equal("still here", await connection.AskAsync("still here"));
        Assert.Equal(VmState.Stopped, Assert.Single(await Lab.Destination.Compute.ListVmsAsync(Ct)).State);
        Assert.True((await Assert.ThrowsAsync<DriverException>(() => Lab.Destination.Compute.EnsureVmAsync(spec, Ct))).Terminal);
        Assert.False(Daemons.IsProcess(receiver, "qemu"));
        Assert.Equal(DeleteOutcome.Deleted, await Lab.Destination.Compute.DeleteVmAsync(spec.Name, Ct));
        Assert.Equal(EnsureOutcome.Unchanged, (await Lab.Source.Compute.EnsureVmAsync(spec, Ct)).Outcome);

        // what the manager does next: a fresh disk and receiver on the destination, and the source migrates this time
        await Lab.Destination.Images.DeleteDiskAsync(spec.Disk, Ct);
        await Lab.Destination.Images.EnsureDiskAsync(new DiskSpec(spec.Disk, TestGuest.ImageName, 64), Ct);
        var retry = await Lab.Destination.Compute.PrepareIncomingAsync(spec, Lab.Destination.Context.UnderlayAddress, Ct);
        var retried = await Lab.Source.Compute.MigrateVmAsync(spec.Name, retry.Status, Ct);
        Assert.True(retried.Outcome == MigrationOutcome.Completed, retried.Error);
        Assert.Equal(EnsureOutcome.Updated, (await Lab.Destination.Compute.EnsureVmAsync(spec, Ct)).Outcome);
        Assert.Equal("still here", await connection.AskAsync("still here"));
    }

    [HostFact]
    public async Task Migrate_DestinationKilledWhileTheMemoryMoves_Fails_SourceRunsOnUnpaused()
    {
        var (spec, prepared) = await BootedWithReceiverAsync();
        // an agent whose migrations send 1 MiB/s: the memory takes over a minute to move
        var slow = new QemuComputeDriver(Lab.Source.Context, Lab.Source.Probe, new QemuComputeOptions { PowerdownGrace = TimeSpan.Zero, MigrationBandwidth = 1 << 20 });
        var port = prepared.Status.MigrationUri[(prepared.Status.MigrationUri.LastIndexOf(':') + 1)..];

        var migrating = slow.MigrateVmAsync(spec.Name, prepared.Status, Ct);
        // the memory's connection is open on the receiver: the disk is in sync, the memory is on its way
        Assert.True(await Network.NetnsLab.EventuallyAsync(async () =>
            (await Lab.Destination.Namespace.ExecAsync("ss", "-Htn", "state", "established", "(", "sport", "=", $":{port}", ")")).StandardOutput.Trim().Length > 0,
            attempts: 300, pauseMs: 50), "the memory migration did not start");
        await Lab.Destination.KillVmAsync(spec.Name);
        var report = await migrating;

        output.WriteLine($"{report}");
        Assert.Equal(MigrationOutcome.Failed, report.Outcome);
        Assert.DoesNotContain("drive-mirror", report.Error, StringComparison.Ordinal);
        Assert.Equal(VmState.Running, Assert.Single(await Lab.Source.Compute.ListVmsAsync(Ct)).State);
        using var connection = EchoConnection.Open(Lab.Probe.Name, GuestAddress);
        Assert.Equal("running on", await connection.AskAsync("running on"));
    }

    /// <summary>A booted VM on the source and its receiver prepared on the destination.</summary>
    private async Task<(VmSpec Spec, Ensured<IncomingVm> Prepared)> BootedWithReceiverAsync()
    {
        var spec = await SpecAsync();
        await Lab.Source.Compute.EnsureVmAsync(spec, Ct);
        await Lab.Source.WaitForConsoleAsync(spec.Name, TestGuest.BootMarker);
        return (spec, await Lab.Destination.Compute.PrepareIncomingAsync(spec, Lab.Destination.Context.UnderlayAddress, Ct));
    }

    /// <summary>The image and the disk on both hosts (the destination's empty over the same image), and a VM spec on the segment.</summary>
    private async Task<VmSpec> SpecAsync()
    {
        var disk = new DiskSpec(_names.Name("n1.qcow2"), TestGuest.ImageName, 64);
        foreach (var host in new[] { Lab.Source, Lab.Destination })
        {
            await host.Images.EnsureImageAsync(TestGuest.ImageName, Ct);
            await host.Images.EnsureDiskAsync(disk, Ct);
        }

        return new VmSpec
        {
            Name = _names.Name("n1"),
            Cpus = 1,
            MemoryMb = 128,
            Disk = disk.Name,
            Mac = _names.Mac(1),
            Bridge = Lab.Bridge,
            GuestArgs = new Dictionary<string, string> { ["vm.name"] = "n1", ["vm.ip"] = GuestAddress + "/24" },
        };
    }

    /// <summary>As <see cref="SpecAsync"/>, with an iSCSI volume of the third host attached (a head node's shared volume).</summary>
    private async Task<VmSpec> SpecWithVolumeAsync()
    {
        var initiator = _names.Initiator("n1");
        var volume = await Lab.Third.Storage.EnsureVolumeAsync(new VolumeSpec(_names.Name("vol"), 48, [initiator]), Ct);
        return await SpecAsync() with
        {
            Volumes = [new VolumeAttachment(volume.Status.Portal, volume.Status.Target, volume.Status.Lun, initiator)],
        };
    }

    /// <summary>How many iSCSI sessions (I_T nexuses) of <paramref name="initiator"/> the third host's tgtd holds.</summary>
    private async Task<int> IscsiSessionsAsync(string initiator)
    {
        var shown = await ProcessRunner.Instance.RunAsync(
            ProcessSpec.Of("tgtadm", "-C", Lab.Third.Tgt.ControlPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--lld", "iscsi", "--op", "show", "--mode", "target"), Ct);
        shown.EnsureSuccess();
        return shown.StandardOutput.Split('\n')
            .Select(line => line.Trim())
            .Count(line => line == "Initiator: " + initiator || line.StartsWith("Initiator: " + initiator + " ", StringComparison.Ordinal));
    }
}
