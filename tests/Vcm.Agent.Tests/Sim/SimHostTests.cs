using Vcm.Agent.Hosting;
using Vcm.Agent.Sim;
using Vcm.Drivers;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Hosts;
using Vcm.Drivers.Images;
using Vcm.Drivers.Network;
using Vcm.Drivers.Storage;
using Vcm.Testing;
using Xunit;

namespace Vcm.Agent.Tests.Sim;

public sealed class SimHostTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static readonly SegmentSpec Segment = new() { Bridge = "vc-ts-br", Vxlan = "vc-ts-vx", Vni = 4343, Peers = ["192.0.2.10"] };

    private static readonly GatewaySpec Gateway = new()
    {
        Name = "vc-ts-gw",
        Bridge = Segment.Bridge,
        Subnet = "10.99.0.0/24",
        Address = "10.99.0.1",
        Domain = "ts",
        Nodes = [new GatewayNode("n1", "52:54:00:00:00:01", "10.99.0.11", ["ssh-ed25519 AAAA test"])],
    };

    private static readonly VolumeSpec Volume = new("vc-ts-vol", 64, ["iqn.2026-11.io.vcm.test:ts-n1"]);

    private static readonly DiskSpec Disk = new("vc-ts-n1.qcow2", "micro", 64);

    private static readonly VmSpec Vm = new()
    {
        Name = "vc-ts-n1",
        Cpus = 1,
        MemoryMb = 128,
        Disk = Disk.Name,
        Mac = "52:54:00:00:00:01",
        Bridge = Segment.Bridge,
    };

    /// <summary>A VM and everything it stands on, plus a gateway and a volume.</summary>
    private static async Task BuildAsync(IHostDrivers host)
    {
        await host.Network.EnsureSegmentAsync(Segment, None);
        await host.Network.EnsureGatewayAsync(Gateway, None);
        await host.Storage.EnsureVolumeAsync(Volume, None);
        await host.Images.EnsureImageAsync("micro", None);
        await host.Images.EnsureDiskAsync(Disk, None);
        await host.Compute.EnsureVmAsync(Vm, None);
    }

    private static void AssertSameInventory(HostInventory expected, HostInventory actual)
    {
        Assert.Equal(expected.Host, actual.Host);
        Assert.Equal(expected.Vms, actual.Vms);
        Assert.Equal(expected.Segments, actual.Segments);
        Assert.Equal(expected.Gateways, actual.Gateways);
        Assert.Equal(expected.Volumes, actual.Volumes);
        Assert.Equal(expected.Images, actual.Images);
        Assert.Equal(expected.Disks, actual.Disks);
    }

    [Fact]
    public async Task StateDirectory_NewHostOverSameFolder_SeesSameInventory()
    {
        using var dir = new TempDirectory("vcm-sim-state");
        var first = SimTestHosts.Create(new SimOptions { StateDirectory = dir.Path });
        await BuildAsync(first);
        Assert.True(first.KillVm(Vm.Name));

        var second = SimTestHosts.Create(new SimOptions { StateDirectory = dir.Path });

        AssertSameInventory(first.Inventory(), second.Inventory());
        Assert.Equal(VmState.Stopped, Assert.Single(await second.Compute.ListVmsAsync(None)).State);
        Assert.Equal([Volume.Name], (await second.Storage.ListVolumesAsync(None)).Select(v => v.Name));
        Assert.Equal([Gateway.Name], (await second.Network.ListAsync(None)).Gateways);
        Assert.Equal([Disk.Name], (await second.Images.ListAsync(None)).Disks);
    }

    [Fact]
    public async Task StateDirectory_NewHostOverSameFolder_EnsureIsUnchangedAndNothingIsMadeTwice()
    {
        using var dir = new TempDirectory("vcm-sim-state");
        var first = SimTestHosts.Create(new SimOptions { StateDirectory = dir.Path });
        await BuildAsync(first);
        var volume = await first.Storage.EnsureVolumeAsync(Volume, None);

        var second = SimTestHosts.Create(new SimOptions { StateDirectory = dir.Path });

        Assert.Equal(EnsureOutcome.Unchanged, await second.Network.EnsureSegmentAsync(Segment, None));
        Assert.Equal(EnsureOutcome.Unchanged, await second.Network.EnsureGatewayAsync(Gateway, None));
        var again = await second.Storage.EnsureVolumeAsync(Volume, None);
        Assert.Equal(EnsureOutcome.Unchanged, again.Outcome);
        Assert.Equal(volume.Status, again.Status);
        Assert.Equal(EnsureOutcome.Unchanged, await second.Images.EnsureImageAsync("micro", None));
        Assert.Equal(EnsureOutcome.Unchanged, await second.Images.EnsureDiskAsync(Disk, None));
        Assert.Equal(EnsureOutcome.Unchanged, (await second.Compute.EnsureVmAsync(Vm, None)).Outcome);
        Assert.Equal(1, second.VmCreations()[Vm.Name]);
    }

    [Fact]
    public async Task StateDirectory_ChangesAfterReopening_AreKeptToo()
    {
        using var dir = new TempDirectory("vcm-sim-state");
        await BuildAsync(SimTestHosts.Create(new SimOptions { StateDirectory = dir.Path }));
        var second = SimTestHosts.Create(new SimOptions { StateDirectory = dir.Path });
        await second.Compute.DeleteVmAsync(Vm.Name, None);
        await second.Images.DeleteDiskAsync(Disk.Name, None);

        var third = SimTestHosts.Create(new SimOptions { StateDirectory = dir.Path });

        Assert.Empty(third.Inventory().Vms);
        Assert.Empty(third.Inventory().Disks);
        Assert.Equal(["micro"], third.Inventory().Images);
    }

    [Fact]
    public async Task StateDirectory_HostsOfOneFolder_KeepTheirOwnInventories()
    {
        using var dir = new TempDirectory("vcm-sim-state");
        var options = new SimOptions { StateDirectory = dir.Path };
        await BuildAsync(SimTestHosts.Create(options, "sim-a"));

        Assert.Empty(SimTestHosts.Create(options, "sim-b").Inventory().Vms);
        Assert.Single(SimTestHosts.Create(options, "sim-a").Inventory().Vms);
    }

    [Fact]
    public async Task AgentHostsSimulated_StateDirectory_OutlivesTheAgent()
    {
        using var dir = new TempDirectory("vcm-sim-state");
        var options = new SimOptions { StateDirectory = dir.Combine("sim", "state") };
        var before = AgentHosts.Simulated(3, "t", options);
        var second = before.ByName["t-002"];
        await BuildAsync(second);

        var after = AgentHosts.Simulated(3, "t", options);

        Assert.Equal(["t-001", "t-002", "t-003"], after.Facts.Select(f => f.Name));
        AssertSameInventory(((SimHost)second).Inventory(), ((SimHost)after.ByName["t-002"]).Inventory());
        Assert.Empty(((SimHost)after.ByName["t-001"]).Inventory().Vms);
    }

    [Fact]
    public async Task NoStateDirectory_NewHost_StartsEmpty()
    {
        await BuildAsync(SimTestHosts.Create());

        var inventory = SimTestHosts.Create().Inventory();

        Assert.Empty(inventory.Vms);
        Assert.Empty(inventory.Segments);
        Assert.Empty(inventory.Images);
    }

    /// <summary>Every kind of change.</summary>
    public static TheoryData<string> Changes => new()
    {
        "ensureSegment", "ensureGateway", "ensureVolume", "ensureImage", "ensureDisk", "ensureVm", "restartVm",
        "deleteVm", "deleteDisk", "deleteGateway", "deleteVolume", "deleteSegment",
    };

    /// <summary>Makes what <paramref name="change"/> needs, so that the change has something to do.</summary>
    private static async Task PrepareAsync(SimHost host, string change)
    {
        await BuildAsync(host);
        switch (change)
        {
            case "ensureSegment":
                await host.Compute.DeleteVmAsync(Vm.Name, None);
                await host.Network.DeleteGatewayAsync(Gateway.Name, None);
                await host.Network.DeleteSegmentAsync(Segment.Bridge, None);
                break;
            case "ensureGateway":
                await host.Network.DeleteGatewayAsync(Gateway.Name, None);
                break;
            case "ensureVolume":
                await host.Storage.DeleteVolumeAsync(Volume.Name, None);
                break;
            case "ensureImage":
                // BuildAsync fetched "micro" only; the change fetches "debian-12".
                break;
            case "ensureDisk":
                await host.Compute.DeleteVmAsync(Vm.Name, None);
                await host.Images.DeleteDiskAsync(Disk.Name, None);
                break;
            case "ensureVm":
                await host.Compute.DeleteVmAsync(Vm.Name, None);
                break;
            case "restartVm":
                Assert.True(host.KillVm(Vm.Name));
                break;
            case "deleteDisk":
            case "deleteSegment":
                await host.Compute.DeleteVmAsync(Vm.Name, None);
                await host.Network.DeleteGatewayAsync(Gateway.Name, None);
                break;
        }
    }

    /// <summary>Does <paramref name="change"/> and answers its outcome.</summary>
    private static async Task<string> ChangeAsync(IHostDrivers host, string change) => change switch
    {
        "ensureSegment" => (await host.Network.EnsureSegmentAsync(Segment, None)).ToString(),
        "ensureGateway" => (await host.Network.EnsureGatewayAsync(Gateway, None)).ToString(),
        "ensureVolume" => (await host.Storage.EnsureVolumeAsync(Volume, None)).Outcome.ToString(),
        "ensureImage" => (await host.Images.EnsureImageAsync("debian-12", None)).ToString(),
        "ensureDisk" => (await host.Images.EnsureDiskAsync(Disk, None)).ToString(),
        "ensureVm" or "restartVm" => (await host.Compute.EnsureVmAsync(Vm, None)).Outcome.ToString(),
        "deleteVm" => (await host.Compute.DeleteVmAsync(Vm.Name, None)).ToString(),
        "deleteDisk" => (await host.Images.DeleteDiskAsync(Disk.Name, None)).ToString(),
        "deleteGateway" => (await host.Network.DeleteGatewayAsync(Gateway.Name, None)).ToString(),
        "deleteVolume" => (await host.Storage.DeleteVolumeAsync(Volume.Name, None)).ToString(),
        "deleteSegment" => (await host.Network.DeleteSegmentAsync(Segment.Bridge, None)).ToString(),
        _ => throw new ArgumentOutOfRangeException(nameof(change), change, null),
    };

    /// <summary>
    /// With FailureRate 1 every change fails with a retryable error. A failure "before" left the host as it was, so
    /// the retry fails again; a failure "after" made the change, so the retry finds nothing to do and answers
    /// Unchanged (or Absent) without failing.
    /// </summary>
    [Theory]
    [MemberData(nameof(Changes))]
    public async Task FailureRateOne_EveryChange_FailsAndARetryShowsWhetherItWasMade(string change)
    {
        using var dir = new TempDirectory("vcm-sim-fail");
        await PrepareAsync(SimTestHosts.Create(new SimOptions { StateDirectory = dir.Path }), change);
        var failing = SimTestHosts.Create(new SimOptions { StateDirectory = dir.Path, FailureRate = 1.0, Seed = 11 });
        var before = failing.Inventory();

        var e = await Assert.ThrowsAsync<DriverException>(() => ChangeAsync(failing, change));

        Assert.False(e.Terminal, e.Message);
        Assert.Contains("simulated failure", e.Message, StringComparison.Ordinal);
        if (e.Message.Contains("after", StringComparison.Ordinal))
        {
            Assert.Contains(await ChangeAsync(failing, change), new[] { "Unchanged", "Absent" });
        }
        else
        {
            AssertSameInventory(before, failing.Inventory());
            AssertSameInventory(before, SimTestHosts.Create(new SimOptions { StateDirectory = dir.Path }).Inventory());
            await Assert.ThrowsAsync<DriverException>(() => ChangeAsync(failing, change));
        }
    }

    /// <summary>Both kinds of injected failure occur, for every kind of change.</summary>
    [Theory]
    [MemberData(nameof(Changes))]
    public async Task FailureRateOne_EveryChange_FailsBothBeforeAndAfter(string change)
    {
        var kinds = new HashSet<string>(StringComparer.Ordinal);
        for (var attempt = 0; attempt < 40 && kinds.Count < 2; attempt++)
        {
            using var dir = new TempDirectory("vcm-sim-fail");
            await PrepareAsync(SimTestHosts.Create(new SimOptions { StateDirectory = dir.Path }, "sim-fail"), change);
            var failing = SimTestHosts.Create(new SimOptions { StateDirectory = dir.Path, FailureRate = 1.0, Seed = attempt }, "sim-fail");
            var e = await Assert.ThrowsAsync<DriverException>(() => ChangeAsync(failing, change));
            kinds.Add(e.Message.Contains("after", StringComparison.Ordinal) ? "after" : "before");
        }

        Assert.Equal(2, kinds.Count);
    }

    /// <summary>Operations that find nothing to do never fail, whatever the failure rate.</summary>
    [Fact]
    public async Task FailureRateOne_NothingToDo_NeverFails()
    {
        using var dir = new TempDirectory("vcm-sim-fail");
        await BuildAsync(SimTestHosts.Create(new SimOptions { StateDirectory = dir.Path }));
        var failing = SimTestHosts.Create(new SimOptions { StateDirectory = dir.Path, FailureRate = 1.0, Seed = 2 });

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(EnsureOutcome.Unchanged, await failing.Network.EnsureSegmentAsync(Segment, None));
            Assert.Equal(EnsureOutcome.Unchanged, await failing.Network.EnsureGatewayAsync(Gateway, None));
            Assert.Equal(EnsureOutcome.Unchanged, (await failing.Storage.EnsureVolumeAsync(Volume, None)).Outcome);
            Assert.Equal(EnsureOutcome.Unchanged, await failing.Images.EnsureImageAsync("micro", None));
            Assert.Equal(EnsureOutcome.Unchanged, await failing.Images.EnsureDiskAsync(Disk, None));
            Assert.Equal(EnsureOutcome.Unchanged, (await failing.Compute.EnsureVmAsync(Vm, None)).Outcome);
            Assert.Equal(DeleteOutcome.Absent, await failing.Compute.DeleteVmAsync("vc-ts-none", None));
            Assert.Equal(DeleteOutcome.Absent, await failing.Network.DeleteSegmentAsync("vc-ts-none", None));
        }
    }

    [Fact]
    public async Task FailureRateOne_Reads_DoNotFail()
    {
        var failing = SimTestHosts.Create(new SimOptions { FailureRate = 1.0, Seed = 3 });

        Assert.Empty(await failing.Compute.ListVmsAsync(None));
        Assert.Empty((await failing.Network.ListAsync(None)).Segments);
        Assert.Empty(await failing.Storage.ListVolumesAsync(None));
        Assert.Empty((await failing.Images.ListAsync(None)).Images);
        Assert.Empty(failing.Inventory().Vms);
    }

    /// <summary>
    /// Half the injected failures strike after the change (a lost reply): those segments exist, and a retry (even on
    /// the failing host, as there is nothing left to do) sees Unchanged; the others made nothing, and a retry on a
    /// healthy host over the same state creates them.
    /// </summary>
    [Fact]
    public async Task FailureRateOne_AfterFailures_MadeTheChange_BeforeFailuresDidNot()
    {
        using var dir = new TempDirectory("vcm-sim-fail");
        var failing = SimTestHosts.Create(new SimOptions { StateDirectory = dir.Path, FailureRate = 1.0, Seed = 7 });
        var bridges = Enumerable.Range(0, 24).Select(i => $"vc-ts-br{i}").ToList();
        var saidAfter = new HashSet<string>(StringComparer.Ordinal);
        foreach (var bridge in bridges)
        {
            var e = await Assert.ThrowsAsync<DriverException>(() =>
                failing.Network.EnsureSegmentAsync(Segment with { Bridge = bridge }, None));
            if (e.Message.Contains("after", StringComparison.Ordinal))
            {
                saidAfter.Add(bridge);
            }
        }

        var made = failing.Inventory().Segments.ToHashSet(StringComparer.Ordinal);
        Assert.Equal(saidAfter.Order(StringComparer.Ordinal), made.Order(StringComparer.Ordinal));
        Assert.NotEmpty(made);
        Assert.NotEqual(bridges.Count, made.Count);

        foreach (var bridge in made)
        {
            Assert.Equal(EnsureOutcome.Unchanged, await failing.Network.EnsureSegmentAsync(Segment with { Bridge = bridge }, None));
        }

        var healthy = SimTestHosts.Create(new SimOptions { StateDirectory = dir.Path });
        foreach (var bridge in bridges)
        {
            var retried = await healthy.Network.EnsureSegmentAsync(Segment with { Bridge = bridge }, None);
            Assert.Equal(made.Contains(bridge) ? EnsureOutcome.Unchanged : EnsureOutcome.Created, retried);
        }
    }

    [Fact]
    public async Task FailureAfterVmCreation_Retry_IsUnchangedAndCreatedOnce()
    {
        using var dir = new TempDirectory("vcm-sim-fail");
        var healthy = SimTestHosts.Create(new SimOptions { StateDirectory = dir.Path });
        await BuildAsync(healthy);
        await healthy.Compute.DeleteVmAsync(Vm.Name, None);
        var madeBefore = healthy.VmCreations().GetValueOrDefault(Vm.Name);
        var failing = SimTestHosts.Create(new SimOptions { StateDirectory = dir.Path, FailureRate = 1.0, Seed = 5 });
        var attempts = 0;
        while (failing.Inventory().Vms.Count == 0)
        {
            Assert.True(++attempts <= 40, "no failure struck after the change in 40 attempts");
            await Assert.ThrowsAsync<DriverException>(() => failing.Compute.EnsureVmAsync(Vm, None));
        }

        var retry = SimTestHosts.Create(new SimOptions { StateDirectory = dir.Path });
        var ensured = await retry.Compute.EnsureVmAsync(Vm, None);

        Assert.Equal(EnsureOutcome.Unchanged, ensured.Outcome);
        Assert.Equal(VmState.Running, ensured.Status.State);
        Assert.Equal(madeBefore + 1, retry.VmCreations()[Vm.Name]);
    }

    [Fact]
    public async Task Seed_SameSeedAndHostName_SameFailures()
    {
        var options = new SimOptions { FailureRate = 0.5, Seed = 1234 };

        var first = await FailurePatternAsync(SimTestHosts.Create(options));
        var second = await FailurePatternAsync(SimTestHosts.Create(options));

        Assert.Equal(first, second);
        Assert.Contains("ok", first);
        Assert.Contains("before", first);
        Assert.Contains("after", first);
    }

    private static async Task<List<string>> FailurePatternAsync(SimHost host)
    {
        var pattern = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            try
            {
                await host.Storage.EnsureVolumeAsync(Volume with { Name = $"vc-ts-vol{i}" }, None);
                pattern.Add("ok");
            }
            catch (DriverException e)
            {
                pattern.Add(e.Message.Contains("after", StringComparison.Ordinal) ? "after" : "before");
            }
        }

        return pattern;
    }

    [Fact]
    public async Task FailureRateZero_NeverFails()
    {
        var host = SimTestHosts.Create(new SimOptions { FailureRate = 0, Seed = 1 });

        for (var i = 0; i < 50; i++)
        {
            await host.Images.EnsureImageAsync("micro", None);
        }

        Assert.Equal(["micro"], host.Inventory().Images);
    }

    [Fact]
    public async Task VmCreations_EnsureTwiceAndRestart_CountsOne()
    {
        var host = SimTestHosts.Create();
        await BuildAsync(host);

        await host.Compute.EnsureVmAsync(Vm, None);
        Assert.True(host.KillVm(Vm.Name));
        var restarted = await host.Compute.EnsureVmAsync(Vm, None);

        Assert.Equal(EnsureOutcome.Updated, restarted.Outcome);
        Assert.Equal(1, host.VmCreations()[Vm.Name]);
    }

    [Fact]
    public async Task VmCreations_TwoVms_CountEach()
    {
        var host = SimTestHosts.Create();
        await BuildAsync(host);
        await host.Images.EnsureDiskAsync(Disk with { Name = "vc-ts-n2.qcow2" }, None);

        await host.Compute.EnsureVmAsync(Vm with { Name = "vc-ts-n2", Disk = "vc-ts-n2.qcow2" }, None);

        Assert.Equal(
            new Dictionary<string, int>(StringComparer.Ordinal) { [Vm.Name] = 1, ["vc-ts-n2"] = 1 },
            host.VmCreations());
    }

    [Fact]
    public async Task VmCreations_DeletedThenMadeAgain_CountsTwo()
    {
        var host = SimTestHosts.Create();
        await BuildAsync(host);
        await host.Compute.EnsureVmAsync(Vm, None);

        await host.Compute.DeleteVmAsync(Vm.Name, None);
        await host.Compute.EnsureVmAsync(Vm, None);

        Assert.Equal(2, host.VmCreations()[Vm.Name]);
    }

    [Fact]
    public async Task VmCreations_FailedEnsure_CountsNothing()
    {
        var host = SimTestHosts.Create();

        await Assert.ThrowsAsync<DriverException>(() => host.Compute.EnsureVmAsync(Vm, None));

        Assert.Empty(host.VmCreations());
    }

    [Fact]
    public async Task KillVm_Running_ListsStoppedWithDetail()
    {
        var host = SimTestHosts.Create();
        await BuildAsync(host);

        Assert.True(host.KillVm(Vm.Name));

        Assert.Equal(new VmStatus(Vm.Name, VmState.Stopped, "killed"), Assert.Single(await host.Compute.ListVmsAsync(None)));
    }

    [Fact]
    public void KillVm_Absent_ReturnsFalse() => Assert.False(SimTestHosts.Create().KillVm("vc-ts-none"));

    [Fact]
    public async Task EnsureDisk_KnownImageNotYetFetched_FailsUntilFetched()
    {
        var host = SimTestHosts.Create();
        Assert.Contains("micro", SimHost.KnownImages);

        var e = await Assert.ThrowsAsync<DriverException>(() => host.Images.EnsureDiskAsync(Disk, None));
        Assert.Contains("micro", e.Message, StringComparison.Ordinal);
        Assert.Empty(host.Inventory().Disks);

        Assert.Equal(EnsureOutcome.Created, await host.Images.EnsureImageAsync("micro", None));
        Assert.Equal(EnsureOutcome.Created, await host.Images.EnsureDiskAsync(Disk, None));
    }

    [Fact]
    public async Task Inventory_MatchesWhatTheDriversList()
    {
        var host = SimTestHosts.Create();
        await BuildAsync(host);

        var inventory = await AgentServer.InventoryAsync(host, None);
        var network = await host.Network.ListAsync(None);
        var images = await host.Images.ListAsync(None);

        Assert.Equal(host.Name, inventory.Host);
        Assert.Equal(await host.Compute.ListVmsAsync(None), inventory.Vms);
        Assert.Equal(network.Segments, inventory.Segments);
        Assert.Equal(network.Gateways, inventory.Gateways);
        Assert.Equal(await host.Storage.ListVolumesAsync(None), inventory.Volumes);
        Assert.Equal(images.Images, inventory.Images);
        Assert.Equal(images.Disks, inventory.Disks);
    }
}
