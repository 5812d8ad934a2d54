using Vcm.Agent.Execution;
using Vcm.Agent.Tests.Sim;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Network;
using Vcm.Drivers.Rpc;
using Xunit;

namespace Vcm.Agent.Tests.Execution;

/// <summary>The relay steps of a cross-site migration, run by the executor on a simulated host.</summary>
public sealed class StepExecutorRelayTests
{
    private static readonly SegmentSpec Segment = new() { Bridge = "vc-tr-br", Vxlan = "vc-tr-vx", Vni = 4343, Peers = ["192.0.2.10"] };

    private static readonly IncomingVm Receiver = new("vc-tr-n1", "h2", "unix:/vms/vc-tr-n1/incoming-memory.sock", "nbd+unix:///disk0?socket=/vms/vc-tr-n1/incoming-disk.sock");

    [Fact]
    public async Task EnsureMigrationRelay_SendingEnd_ResultCarriesWhereTheSourceMigratesTo_SecondUnchanged_DeleteThenAbsent()
    {
        var sim = SimTestHosts.Create();
        var executor = Executor(sim);
        var relay = MigrationRelaySpec.For("m-42", Receiver.Name, Segment.Bridge, MigrationRelaySide.Send);

        var made = await executor.ApplyHostAsync(new HostWork(sim.Name, [new EnsureSegmentStep(Segment), new EnsureMigrationRelayStep(relay)]), CancellationToken.None);
        var again = await executor.ApplyHostAsync(new HostWork(sim.Name, [new EnsureMigrationRelayStep(relay)]), CancellationToken.None);
        var deleted = await executor.ApplyHostAsync(new HostWork(sim.Name, [new DeleteMigrationRelayStep(relay.Name), new DeleteMigrationRelayStep(relay.Name)]), CancellationToken.None);

        var ensured = made.Results[^1];
        Assert.Equal((StepKind.EnsureMigrationRelay, relay.Name, StepOutcome.Created), (ensured.Kind, ensured.Target, ensured.Outcome));
        Assert.NotNull(ensured.Incoming);
        Assert.Equal(relay.Vm, ensured.Incoming.Name);
        Assert.StartsWith("unix:/", ensured.Incoming.MigrationUri, StringComparison.Ordinal);
        Assert.StartsWith("nbd+unix:///disk0?socket=/", ensured.Incoming.DiskUri, StringComparison.Ordinal);
        Assert.Equal((StepOutcome.Unchanged, ensured.Incoming), (Assert.Single(again.Results).Outcome, again.Results[0].Incoming));
        Assert.Equal([StepOutcome.Deleted, StepOutcome.Absent], deleted.Results.Select(r => r.Outcome));
    }

    [Fact]
    public async Task EnsureMigrationRelay_ReceivingEndWithoutReceiver_FailsTerminally_WithItsReceiverMade()
    {
        var sim = SimTestHosts.Create();
        var executor = Executor(sim);
        var without = MigrationRelaySpec.For("m-43", Receiver.Name, Segment.Bridge, MigrationRelaySide.Receive);

        var refused = await executor.ApplyHostAsync(new HostWork(sim.Name, [new EnsureSegmentStep(Segment), new EnsureMigrationRelayStep(without)]), CancellationToken.None);
        var made = await executor.ApplyHostAsync(new HostWork(sim.Name, [new EnsureMigrationRelayStep(without with { Receiver = Receiver })]), CancellationToken.None);

        Assert.Equal((StepOutcome.Failed, true), (refused.Results[^1].Outcome, refused.Results[^1].Terminal));
        Assert.Equal(StepOutcome.Created, Assert.Single(made.Results).Outcome);
        Assert.Equal($"tcp:[{without.LocalAddress}]:{without.MemoryPort}", made.Results[0].Incoming?.MigrationUri);
    }

    [Fact]
    public async Task WipeHost_OnSimHost_RemovesRelayEnds()
    {
        var sim = SimTestHosts.Create();
        var executor = Executor(sim);
        var relay = MigrationRelaySpec.For("m-44", Receiver.Name, Segment.Bridge, MigrationRelaySide.Send);
        await executor.ApplyHostAsync(new HostWork(sim.Name, [new EnsureSegmentStep(Segment), new EnsureMigrationRelayStep(relay)]), CancellationToken.None);
        Assert.Equal([relay.Name], (await sim.Network.ListAsync(CancellationToken.None)).Relays);

        var wiped = await executor.ApplyHostAsync(new HostWork(sim.Name, [new WipeHostStep()]), CancellationToken.None);

        Assert.Equal(StepOutcome.Deleted, Assert.Single(wiped.Results).Outcome);
        Assert.Empty((await sim.Network.ListAsync(CancellationToken.None)).Relays);
    }

    private static StepExecutor Executor(Vcm.Agent.Sim.SimHost sim) =>
        new(new Dictionary<string, Vcm.Drivers.Hosts.IHostDrivers>(StringComparer.Ordinal) { [sim.Name] = sim });
}
