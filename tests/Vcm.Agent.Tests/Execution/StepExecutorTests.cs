using Vcm.Agent.Execution;
using Vcm.Agent.Sim;
using Vcm.Agent.Tests.Sim;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Hosts;
using Vcm.Drivers.Images;
using Vcm.Drivers.Network;
using Vcm.Drivers.Processes;
using Vcm.Drivers.Rpc;
using Vcm.Drivers.Storage;
using Xunit;

namespace Vcm.Agent.Tests.Execution;

public sealed class StepExecutorTests
{
    /// <summary>How long a test waits for another host's step before calling the executor sequential.</summary>
    private static readonly TimeSpan GateTimeout = TimeSpan.FromSeconds(30);

    private static readonly SegmentSpec Segment = new() { Bridge = "vc-tx-br", Vxlan = "vc-tx-vx", Vni = 4242, Peers = ["192.0.2.10"] };

    private static readonly DiskSpec Disk = new("vc-tx-n1.qcow2", "micro", 64);

    private static readonly VmSpec Vm = new()
    {
        Name = "vc-tx-n1",
        Cpus = 1,
        MemoryMb = 128,
        Disk = Disk.Name,
        Mac = "52:54:00:00:00:01",
        Bridge = Segment.Bridge,
    };

    /// <summary>One step of every kind, in an order that builds and then removes a node.</summary>
    /// <summary>A step kind as the wire and the recording host name it (ensureVm).</summary>
    private static string Wire(StepKind kind) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(kind.ToString());

    [Fact]
    public void EveryKind_IsTheStepsJsonDiscriminator_AndEveryKindHasAStep()
    {
        var vpn = new VpnSpec
        {
            Name = "vcv-tx", Bridge = Segment.Bridge, Server = true, Local = "192.0.2.1", Remote = "192.0.2.2", Port = 30000, RemotePort = 40000,
            CaCertificate = "CA", Certificate = "C", PrivateKey = "K", TlsCryptKey = "T",
        };
        List<HostStep> steps =
        [
            .. EveryKind(), new EnsureVpnStep(vpn), new DeleteVpnStep(vpn.Name),
            new PrepareIncomingVmStep(Vm, "192.0.2.3"),
            new MigrateVmStep(Vm.Name, new Vcm.Drivers.Compute.IncomingVm(Vm.Name, "h2", "tcp:192.0.2.3:49152", "nbd:192.0.2.3:49153:exportname=disk0")),
            new WipeHostStep(),
            new EnsureMigrationRelayStep(MigrationRelaySpec.For("m-1", Vm.Name, Segment.Bridge, MigrationRelaySide.Send)),
            new DeleteMigrationRelayStep(MigrationRelaySpec.For("m-1", Vm.Name, Segment.Bridge, MigrationRelaySide.Send).Name),
        ];

        foreach (var step in steps)
        {
            using var json = System.Text.Json.JsonDocument.Parse(System.Text.Json.JsonSerializer.Serialize(step, AgentJson.Options));
            Assert.Equal(Wire(step.Kind), json.RootElement.GetProperty("kind").GetString());
        }

        Assert.Equal(Enum.GetValues<StepKind>().Order(), steps.Select(s => s.Kind).Order());
    }

    private static List<HostStep> EveryKind() =>
    [
        new EnsureSegmentStep(Segment),
        new EnsureGatewayStep(new GatewaySpec { Name = "vc-tx-gw", Bridge = Segment.Bridge, Subnet = "10.99.0.0/24", Address = "10.99.0.1", Domain = "tx" }),
        new EnsureVolumeStep(new VolumeSpec("vc-tx-vol", 64, ["iqn.2026-11.io.vcm.test:tx-n1"])),
        new EnsureImageStep("micro"),
        new EnsureDiskStep(Disk),
        new EnsureVmStep(Vm),
        new DeleteVmStep(Vm.Name),
        new DeleteDiskStep(Disk.Name),
        new DeleteGatewayStep("vc-tx-gw"),
        new DeleteVolumeStep("vc-tx-vol"),
        new DeleteSegmentStep(Segment.Bridge),
    ];

    private static List<HostStep> Build() =>
        [new EnsureSegmentStep(Segment), new EnsureImageStep("micro"), new EnsureDiskStep(Disk), new EnsureVmStep(Vm)];

    private static StepExecutor Executor(params IHostDrivers[] hosts) =>
        new(hosts.ToDictionary(h => h.Facts.Name, StringComparer.Ordinal));

    [Fact]
    public async Task ApplyHost_Steps_RunInOrder()
    {
        var host = new RecordingHost("h1");
        var steps = EveryKind();

        var result = await Executor(host).ApplyHostAsync(new HostWork("h1", steps), CancellationToken.None);

        Assert.Equal(steps.Select(s => Wire(s.Kind) + " " + s.Target), host.Calls);
        Assert.Equal("h1", result.Host);
        Assert.Equal(steps.Select(s => (s.Kind, s.Target)), result.Results.Select(r => (r.Kind, r.Target)));
        Assert.All(result.Results, r => Assert.True(r.Succeeded, $"{r.Kind} {r.Target}: {r.Outcome} {r.Error}"));
    }

    [Fact]
    public async Task ApplyHost_Steps_EachCallEndsBeforeTheNextStarts()
    {
        var host = new RecordingHost("h1");
        var running = 0;
        var overlaps = 0;
        host.BeforeEach = async (_, ct) =>
        {
            if (Interlocked.Increment(ref running) > 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            await Task.Yield();
            Interlocked.Decrement(ref running);
        };

        await Executor(host).ApplyHostAsync(new HostWork("h1", EveryKind()), CancellationToken.None);

        Assert.Equal(0, overlaps);
        Assert.Equal(EveryKind().Count, host.Calls.Count);
    }

    [Fact]
    public async Task ApplyHost_OnSimHost_BuildsANodeInDependencyOrder()
    {
        var sim = SimTestHosts.Create();

        var result = await Executor(sim).ApplyHostAsync(new HostWork(sim.Name, Build()), CancellationToken.None);

        Assert.Equal(
            [StepOutcome.Created, StepOutcome.Created, StepOutcome.Created, StepOutcome.Created],
            result.Results.Select(r => r.Outcome));
        Assert.Equal(new VmStatus(Vm.Name, VmState.Running, Usage: new VmUsage(0, Vm.MemoryMb * 1024 * 1024)), result.Results[^1].Vm);
        Assert.Equal(VmState.Running, Assert.Single(sim.Inventory().Vms).State);
    }

    [Fact]
    public async Task WipeHost_OnSimHost_RemovesEverything_ThenFindsNothing()
    {
        var sim = SimTestHosts.Create();
        await Executor(sim).ApplyHostAsync(new HostWork(sim.Name, Build()), CancellationToken.None);
        Assert.NotEmpty(sim.Inventory().Vms);

        var wiped = await Executor(sim).ApplyHostAsync(new HostWork(sim.Name, [new WipeHostStep()]), CancellationToken.None);
        var again = await Executor(sim).ApplyHostAsync(new HostWork(sim.Name, [new WipeHostStep()]), CancellationToken.None);

        Assert.Equal((StepOutcome.Deleted, StepOutcome.Absent), (Assert.Single(wiped.Results).Outcome, Assert.Single(again.Results).Outcome));
        var inventory = sim.Inventory();
        Assert.Empty(inventory.Vms);
        Assert.Empty(inventory.Disks);
        Assert.Empty(inventory.Segments);
    }

    [Fact]
    public async Task ApplyHost_OnSimHost_Twice_SecondIsUnchanged()
    {
        var sim = SimTestHosts.Create();
        var executor = Executor(sim);
        await executor.ApplyHostAsync(new HostWork(sim.Name, Build()), CancellationToken.None);

        var again = await executor.ApplyHostAsync(new HostWork(sim.Name, Build()), CancellationToken.None);

        Assert.All(again.Results, r => Assert.Equal(StepOutcome.Unchanged, r.Outcome));
    }

    [Fact]
    public async Task ApplyHost_AfterAFailure_RestAreSkippedAndNotCalled()
    {
        var host = new RecordingHost("h1");
        var steps = EveryKind();
        host.FailOn[steps[2].Target] = false;

        var result = await Executor(host).ApplyHostAsync(new HostWork("h1", steps), CancellationToken.None);

        Assert.Equal(steps.Take(3).Select(s => Wire(s.Kind) + " " + s.Target), host.Calls);
        Assert.Equal(steps.Select(s => (s.Kind, s.Target)), result.Results.Select(r => (r.Kind, r.Target)));
        Assert.Equal(StepOutcome.Created, result.Results[1].Outcome);
        var failed = result.Results[2];
        Assert.Equal(StepOutcome.Failed, failed.Outcome);
        Assert.False(failed.Terminal);
        Assert.Contains(steps[2].Target, failed.Error, StringComparison.Ordinal);
        Assert.All(result.Results.Skip(3), r =>
        {
            Assert.Equal(StepOutcome.Skipped, r.Outcome);
            Assert.False(r.Succeeded);
            Assert.Null(r.Error);
        });
    }

    [Fact]
    public async Task ApplyHost_OnSimHost_FailedDisk_LaterStepsAreNotDone()
    {
        var sim = SimTestHosts.Create();
        List<HostStep> steps = [new EnsureSegmentStep(Segment), new EnsureDiskStep(Disk), new EnsureImageStep("micro"), new EnsureVmStep(Vm)];

        var result = await Executor(sim).ApplyHostAsync(new HostWork(sim.Name, steps), CancellationToken.None);

        Assert.Equal(
            [StepOutcome.Created, StepOutcome.Failed, StepOutcome.Skipped, StepOutcome.Skipped],
            result.Results.Select(r => r.Outcome));
        var inventory = sim.Inventory();
        Assert.Empty(inventory.Images);
        Assert.Empty(inventory.Vms);
        Assert.Equal([Segment.Bridge], inventory.Segments);
    }

    [Fact]
    public async Task ApplyHost_ContinueOnError_TriesEveryStep()
    {
        var host = new RecordingHost("h1");
        List<HostStep> steps = [new DeleteVmStep("vm"), new DeleteDiskStep("disk"), new DeleteGatewayStep("gw"), new DeleteSegmentStep("br")];
        host.FailOn["vm"] = false;
        host.FailOn["gw"] = true;

        var result = await Executor(host).ApplyHostAsync(new HostWork("h1", steps, ContinueOnError: true), CancellationToken.None);

        Assert.Equal(["deleteVm vm", "deleteDisk disk", "deleteGateway gw", "deleteSegment br"], host.Calls);
        Assert.Equal(
            [StepOutcome.Failed, StepOutcome.Deleted, StepOutcome.Failed, StepOutcome.Deleted],
            result.Results.Select(r => r.Outcome));
        Assert.False(result.Results[0].Terminal);
        Assert.True(result.Results[2].Terminal);
    }

    [Fact]
    public async Task ApplyHost_OnSimHost_ContinueOnError_ReleasesWhatExists()
    {
        var sim = SimTestHosts.Create();
        var executor = Executor(sim);
        await executor.ApplyHostAsync(new HostWork(sim.Name, Build()), CancellationToken.None);
        List<HostStep> release =
        [
            new DeleteVmStep(Vm.Name), new DeleteDiskStep(Disk.Name), new DeleteGatewayStep("vc-tx-gw"),
            new DeleteVolumeStep("vc-tx-vol"), new DeleteSegmentStep(Segment.Bridge),
        ];

        var result = await executor.ApplyHostAsync(new HostWork(sim.Name, release, ContinueOnError: true), CancellationToken.None);

        Assert.Equal(
            [StepOutcome.Deleted, StepOutcome.Deleted, StepOutcome.Absent, StepOutcome.Absent, StepOutcome.Deleted],
            result.Results.Select(r => r.Outcome));
        var inventory = sim.Inventory();
        Assert.Empty(inventory.Vms);
        Assert.Empty(inventory.Disks);
        Assert.Empty(inventory.Segments);
    }

    [Fact]
    public async Task ApplyHost_OnSimHost_UnknownImage_FailsTerminally()
    {
        var sim = SimTestHosts.Create();

        var result = await Executor(sim).ApplyHostAsync(
            new HostWork(sim.Name, [new EnsureImageStep("vc-t-nosuch"), new EnsureDiskStep(Disk with { Image = "vc-t-nosuch" })]),
            CancellationToken.None);

        Assert.Equal(StepOutcome.Failed, result.Results[0].Outcome);
        Assert.True(result.Results[0].Terminal);
        Assert.Contains("vc-t-nosuch", result.Results[0].Error, StringComparison.Ordinal);
        Assert.Equal(StepOutcome.Skipped, result.Results[1].Outcome);
    }

    public static TheoryData<string> OtherFailures => new() { "process", "timeout", "io" };

    [Theory]
    [MemberData(nameof(OtherFailures))]
    public async Task ApplyHost_ProcessTimeoutOrIoFailure_IsARetryableFailure(string kind)
    {
        var host = new RecordingHost("h1");
        host.ThrowOn["br"] = kind switch
        {
            "process" => new ProcessFailedException(new ProcessResult(ProcessSpec.Of("ip", "link", "add"), 2, "", "RTNETLINK answers: File exists", TimeSpan.Zero)),
            "timeout" => new TimeoutException("'ip link add' did not finish"),
            _ => new IOException("disk full"),
        };

        var result = await Executor(host).ApplyHostAsync(
            new HostWork("h1", [new EnsureSegmentStep(Segment with { Bridge = "br" }), new EnsureImageStep("micro")]),
            CancellationToken.None);

        Assert.Equal(StepOutcome.Failed, result.Results[0].Outcome);
        Assert.False(result.Results[0].Terminal);
        Assert.False(string.IsNullOrEmpty(result.Results[0].Error));
        Assert.Equal(StepOutcome.Skipped, result.Results[1].Outcome);
    }

    [Fact]
    public async Task ApplyHost_UnknownHost_EachStepFailsTerminally()
    {
        var host = new RecordingHost("h1");
        var steps = Build();

        var result = await Executor(host).ApplyHostAsync(new HostWork("nosuch", steps), CancellationToken.None);

        Assert.Equal("nosuch", result.Host);
        Assert.Equal(steps.Select(s => (s.Kind, s.Target)), result.Results.Select(r => (r.Kind, r.Target)));
        Assert.All(result.Results, r =>
        {
            Assert.Equal(StepOutcome.Failed, r.Outcome);
            Assert.True(r.Terminal);
            Assert.Contains("nosuch", r.Error, StringComparison.Ordinal);
        });
        Assert.Empty(host.Calls);
    }

    [Fact]
    public async Task Apply_UnknownHostBesideKnownOne_OnlyItFails()
    {
        var host = new RecordingHost("h1");

        var response = await Executor(host).ApplyAsync(
            new ApplyRequest([new HostWork("nosuch", Build()), new HostWork("h1", Build())]), CancellationToken.None);

        Assert.Equal(["nosuch", "h1"], response.Hosts.Select(h => h.Host));
        Assert.All(response.Hosts[0].Results, r => Assert.Equal(StepOutcome.Failed, r.Outcome));
        Assert.All(response.Hosts[1].Results, r => Assert.True(r.Succeeded));
    }

    /// <summary>Each host's first step waits for the other host's first step to start: only parallel hosts get past it.</summary>
    [Fact]
    public async Task Apply_SeveralHosts_RunInParallel()
    {
        var a = new RecordingHost("a");
        var b = new RecordingHost("b");
        var aStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var bStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        a.BeforeEach = async (_, ct) =>
        {
            aStarted.TrySetResult();
            await bStarted.Task.WaitAsync(GateTimeout, ct);
        };
        b.BeforeEach = async (_, ct) =>
        {
            bStarted.TrySetResult();
            await aStarted.Task.WaitAsync(GateTimeout, ct);
        };

        var response = await Executor(a, b).ApplyAsync(
            new ApplyRequest([new HostWork("a", Build()), new HostWork("b", Build())]), CancellationToken.None);

        Assert.All(response.Hosts.SelectMany(h => h.Results), r => Assert.True(r.Succeeded, $"{r.Kind} {r.Target}: {r.Outcome} {r.Error}"));
    }

    /// <summary>The first host in the request finishes last; the results still come in request order.</summary>
    [Fact]
    public async Task Apply_SeveralHosts_ResultsInRequestOrder()
    {
        var order = new[] { "h4", "h2", "h6", "h1", "h5", "h3" };
        var work = order.Select((h, i) => new HostWork(h, Build().Take(i % 3 + 2).ToList())).ToList();
        var hosts = order.Select(h => new RecordingHost(h)).ToArray();
        var othersDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var remaining = hosts.Length - 1;
        hosts[0].BeforeEach = (_, ct) => othersDone.Task.WaitAsync(GateTimeout, ct);
        for (var i = 1; i < hosts.Length; i++)
        {
            var steps = work[i].Steps.Count;
            hosts[i].BeforeEach = (_, _) =>
            {
                if (--steps == 0 && Interlocked.Decrement(ref remaining) == 0)
                {
                    othersDone.TrySetResult();
                }

                return Task.CompletedTask;
            };
        }

        var response = await Executor(hosts).ApplyAsync(new ApplyRequest(work), CancellationToken.None);

        Assert.Equal(order, response.Hosts.Select(h => h.Host));
        Assert.Equal(work.Select(w => w.Steps.Select(s => s.Target)), response.Hosts.Select(h => h.Results.Select(r => r.Target)));
        Assert.All(response.Hosts.SelectMany(h => h.Results), r => Assert.True(r.Succeeded, $"{r.Kind} {r.Target}: {r.Outcome} {r.Error}"));
    }

    [Fact]
    public async Task Apply_SeveralSimHosts_EachGetsItsOwnObjects()
    {
        var hosts = Enumerable.Range(1, 3).Select(i => SimTestHosts.Create(name: $"sim-{i}")).ToArray();

        var response = await Executor(hosts).ApplyAsync(
            new ApplyRequest(hosts.Select(h => new HostWork(h.Name, Build())).ToList()), CancellationToken.None);

        Assert.All(response.Hosts.SelectMany(h => h.Results), r => Assert.Equal(StepOutcome.Created, r.Outcome));
        Assert.All(hosts, h => Assert.Equal([Vm.Name], h.Inventory().Vms.Select(v => v.Name)));
    }

    [Fact]
    public async Task RunStep_EnsureVolume_ReportsWhereTheVolumeIs()
    {
        var sim = SimTestHosts.Create();
        var step = new EnsureVolumeStep(new VolumeSpec("vc-tx-vol", 64, ["iqn.2026-11.io.vcm.test:tx-n1"]));

        var first = await StepExecutor.RunStepAsync(sim, step, CancellationToken.None);
        var second = await StepExecutor.RunStepAsync(sim, step, CancellationToken.None);

        Assert.Equal((StepKind.EnsureVolume, "vc-tx-vol", StepOutcome.Created), (first.Kind, first.Target, first.Outcome));
        Assert.Equal(StepOutcome.Unchanged, second.Outcome);
        Assert.NotNull(first.Volume);
        Assert.Equal(first.Volume, second.Volume);
        Assert.Equal(Assert.Single(sim.Inventory().Volumes), first.Volume);
    }

    [Fact]
    public async Task RunStep_StoppedVm_IsUpdatedAndReportsRunning()
    {
        var sim = SimTestHosts.Create();
        await Executor(sim).ApplyHostAsync(new HostWork(sim.Name, Build()), CancellationToken.None);
        Assert.True(sim.KillVm(Vm.Name));

        var result = await StepExecutor.RunStepAsync(sim, new EnsureVmStep(Vm), CancellationToken.None);

        Assert.Equal(StepOutcome.Updated, result.Outcome);
        Assert.Equal(VmState.Running, result.Vm?.State);
    }

    [Fact]
    public async Task RunStep_DeleteOfAbsentObjects_IsAbsent()
    {
        var sim = SimTestHosts.Create();
        List<HostStep> deletes =
        [
            new DeleteVmStep("vc-tx-none"), new DeleteDiskStep("vc-tx-none"), new DeleteGatewayStep("vc-tx-none"),
            new DeleteVolumeStep("vc-tx-none"), new DeleteSegmentStep("vc-tx-none"),
        ];

        foreach (var step in deletes)
        {
            var result = await StepExecutor.RunStepAsync(sim, step, CancellationToken.None);
            Assert.Equal((step.Kind, StepOutcome.Absent), (result.Kind, result.Outcome));
        }
    }

    [Fact]
    public async Task ApplyHost_NoSteps_GivesNoResults()
    {
        var host = new RecordingHost("h1");

        var result = await Executor(host).ApplyHostAsync(new HostWork("h1", []), CancellationToken.None);

        Assert.Empty(result.Results);
    }
}
