using Vcm.Drivers;
using Vcm.Drivers.Network;
using Xunit;

namespace Vcm.Agent.Tests.Conformance;

/// <summary>The migration relay ends of the <see cref="INetworkDriver"/> contract.</summary>
public abstract partial class NetworkDriverConformance
{
    [ConformanceFact]
    public async Task EnsureMigrationRelay_SendingEnd_CreatedListed_SecondUnchangedWithTheSameUnixSockets()
    {
        var segment = Segment();
        await EnsureSegmentAsync(segment);
        var relay = Relay(segment, MigrationRelaySide.Send);

        var first = await EnsureMigrationRelayAsync(relay);
        var second = await EnsureMigrationRelayAsync(relay);

        Assert.Equal((EnsureOutcome.Created, EnsureOutcome.Unchanged), (first.Outcome, second.Outcome));
        Assert.Equal(first.Status, second.Status);
        Assert.Equal(relay.Vm, first.Status.Name);
        Assert.StartsWith("unix:/", first.Status.MigrationUri, StringComparison.Ordinal);
        Assert.StartsWith("nbd+unix:///", first.Status.DiskUri, StringComparison.Ordinal);
        Assert.Contains("?socket=/", first.Status.DiskUri, StringComparison.Ordinal);
        Assert.Single((await ListAsync()).Relays, r => r == relay.Name);
    }

    [ConformanceFact]
    public async Task EnsureMigrationRelay_ReceivingEnd_CreatedAndAnswersItsTcpPorts()
    {
        var segment = Segment();
        await EnsureSegmentAsync(segment);
        var relay = Relay(segment, MigrationRelaySide.Receive, UnixReceiver());

        var ensured = await EnsureMigrationRelayAsync(relay);

        Assert.Equal(EnsureOutcome.Created, ensured.Outcome);
        Assert.Equal($"tcp:[{relay.LocalAddress}]:{relay.MemoryPort}", ensured.Status.MigrationUri);
        Assert.Equal($"nbd:[{relay.LocalAddress}]:{relay.DiskPort}:exportname=disk0", ensured.Status.DiskUri);
        Assert.Equal(EnsureOutcome.Unchanged, (await EnsureMigrationRelayAsync(relay)).Outcome);
    }

    [ConformanceFact]
    public async Task EnsureMigrationRelay_ReceivingEndWithoutReceiver_FailsTerminally_NothingMade()
    {
        var segment = Segment();
        await EnsureSegmentAsync(segment);
        var relay = Relay(segment, MigrationRelaySide.Receive);

        var refused = await Assert.ThrowsAsync<DriverException>(() => EnsureMigrationRelayAsync(relay));

        Assert.True(refused.Terminal, refused.Message);
        Assert.DoesNotContain(relay.Name, (await ListAsync()).Relays);
    }

    [ConformanceFact]
    public async Task EnsureMigrationRelay_NoSuchBridge_Fails_NothingMade()
    {
        var relay = Relay(Segment(), MigrationRelaySide.Send);

        await Assert.ThrowsAsync<DriverException>(() => EnsureMigrationRelayAsync(relay));

        Assert.DoesNotContain(relay.Name, (await ListAsync()).Relays);
    }

    [ConformanceFact]
    public async Task DeleteMigrationRelay_Existing_IsDeletedAndNoLongerListed_SecondIsAbsent()
    {
        var segment = Segment();
        await EnsureSegmentAsync(segment);
        var relay = Relay(segment, MigrationRelaySide.Send);
        await EnsureMigrationRelayAsync(relay);

        var deleted = await Host.Network.DeleteMigrationRelayAsync(relay.Name, Ct);
        var again = await Host.Network.DeleteMigrationRelayAsync(relay.Name, Ct);

        Assert.Equal((DeleteOutcome.Deleted, DeleteOutcome.Absent), (deleted, again));
        Assert.DoesNotContain(relay.Name, (await ListAsync()).Relays);
    }
}
