using Vcm.Drivers;
using Vcm.Drivers.Network;
using Xunit;

namespace Vcm.Agent.Tests.Conformance;

/// <summary>The contract of <see cref="INetworkDriver"/> (segments, gateways, VPN ends and migration relay ends), for any implementation.</summary>
public abstract partial class NetworkDriverConformance : DriverConformance
{
    [ConformanceFact]
    public async Task EnsureSegment_New_IsCreatedAndListed()
    {
        var segment = Segment();

        Assert.Equal(EnsureOutcome.Created, await EnsureSegmentAsync(segment));

        Assert.Contains(segment.Bridge, (await ListAsync()).Segments);
    }

    [ConformanceFact]
    public async Task EnsureSegment_Twice_SecondIsUnchanged()
    {
        var segment = Segment();

        var first = await EnsureSegmentAsync(segment);
        var second = await EnsureSegmentAsync(segment);

        Assert.Equal(EnsureOutcome.Created, first);
        Assert.Equal(EnsureOutcome.Unchanged, second);
        Assert.Single((await ListAsync()).Segments, s => s == segment.Bridge);
    }

    [ConformanceFact]
    public async Task EnsureSegment_ChangedPeers_IsUpdated()
    {
        var segment = Segment();
        await EnsureSegmentAsync(segment);
        var changed = segment with { Peers = [PeerAddresses[0], PeerAddresses[1]] };

        var updated = await EnsureSegmentAsync(changed);
        var again = await EnsureSegmentAsync(changed);

        Assert.Equal(EnsureOutcome.Updated, updated);
        Assert.Equal(EnsureOutcome.Unchanged, again);
    }

    [ConformanceFact]
    public async Task EnsureSegment_PeerRemoved_IsUpdated()
    {
        var segment = Segment(peers: [PeerAddresses[0], PeerAddresses[1]]);
        await EnsureSegmentAsync(segment);

        var updated = await EnsureSegmentAsync(segment with { Peers = [PeerAddresses[1]] });

        Assert.Equal(EnsureOutcome.Updated, updated);
    }

    [ConformanceFact]
    public async Task EnsureSegment_NoPeers_IsCreated()
    {
        var segment = Segment(peers: []);

        Assert.Equal(EnsureOutcome.Created, await EnsureSegmentAsync(segment));
        Assert.Equal(EnsureOutcome.Unchanged, await EnsureSegmentAsync(segment));
    }

    [ConformanceFact]
    public async Task DeleteSegment_Existing_IsDeletedAndNoLongerListed()
    {
        var segment = Segment();
        await EnsureSegmentAsync(segment);

        var deleted = await Host.Network.DeleteSegmentAsync(segment.Bridge, Ct);

        Assert.Equal(DeleteOutcome.Deleted, deleted);
        Assert.DoesNotContain(segment.Bridge, (await ListAsync()).Segments);
    }

    [ConformanceFact]
    public async Task DeleteSegment_Twice_SecondIsAbsent()
    {
        var segment = Segment();
        await EnsureSegmentAsync(segment);
        await Host.Network.DeleteSegmentAsync(segment.Bridge, Ct);

        Assert.Equal(DeleteOutcome.Absent, await Host.Network.DeleteSegmentAsync(segment.Bridge, Ct));
    }

    [ConformanceFact]
    public async Task DeleteSegment_NeverMade_IsAbsent() =>
        Assert.Equal(DeleteOutcome.Absent, await Host.Network.DeleteSegmentAsync(Name("br"), Ct));

    [ConformanceFact]
    public async Task EnsureSegment_AfterDelete_IsCreated()
    {
        var segment = Segment();
        await EnsureSegmentAsync(segment);
        await Host.Network.DeleteSegmentAsync(segment.Bridge, Ct);

        Assert.Equal(EnsureOutcome.Created, await EnsureSegmentAsync(segment));
        Assert.Contains(segment.Bridge, (await ListAsync()).Segments);
    }

    [ConformanceFact]
    public async Task ListSegments_TwoSegments_ListsBothUntilDeleted()
    {
        var first = Segment(0);
        var second = Segment(1);
        await EnsureSegmentAsync(first);
        await EnsureSegmentAsync(second);

        Assert.Equal([first.Bridge, second.Bridge], Mine((await ListAsync()).Segments));
        await Host.Network.DeleteSegmentAsync(first.Bridge, Ct);
        Assert.Equal([second.Bridge], Mine((await ListAsync()).Segments));
    }

    [ConformanceFact]
    public async Task EnsureGateway_New_IsCreatedAndListed()
    {
        var segment = Segment();
        await EnsureSegmentAsync(segment);
        var gateway = Gateway(segment);

        Assert.Equal(EnsureOutcome.Created, await EnsureGatewayAsync(gateway));

        var listed = await ListAsync();
        Assert.Contains(gateway.Name, listed.Gateways);
        Assert.Contains(segment.Bridge, listed.Segments);
    }

    [ConformanceFact]
    public async Task EnsureGateway_Twice_SecondIsUnchanged()
    {
        var segment = Segment();
        await EnsureSegmentAsync(segment);
        var gateway = Gateway(segment);

        var first = await EnsureGatewayAsync(gateway);
        var second = await EnsureGatewayAsync(gateway);

        Assert.Equal(EnsureOutcome.Created, first);
        Assert.Equal(EnsureOutcome.Unchanged, second);
        Assert.Single((await ListAsync()).Gateways, g => g == gateway.Name);
    }

    [ConformanceFact]
    public async Task EnsureGateway_NodeAdded_IsUpdated()
    {
        var segment = Segment();
        await EnsureSegmentAsync(segment);
        await EnsureGatewayAsync(Gateway(segment, [Node(1)]));
        var changed = Gateway(segment, [Node(1), Node(2)]);

        var updated = await EnsureGatewayAsync(changed);
        var again = await EnsureGatewayAsync(changed);

        Assert.Equal(EnsureOutcome.Updated, updated);
        Assert.Equal(EnsureOutcome.Unchanged, again);
    }

    [ConformanceFact]
    public async Task EnsureGateway_NodeRemoved_IsUpdated()
    {
        var segment = Segment();
        await EnsureSegmentAsync(segment);
        await EnsureGatewayAsync(Gateway(segment, [Node(1), Node(2)]));

        Assert.Equal(EnsureOutcome.Updated, await EnsureGatewayAsync(Gateway(segment, [Node(2)])));
    }

    [ConformanceFact]
    public async Task EnsureGateway_NodeAddressChanged_IsUpdated()
    {
        var segment = Segment();
        await EnsureSegmentAsync(segment);
        await EnsureGatewayAsync(Gateway(segment, [Node(1)]));

        var moved = Node(1) with { Ip = Address(99) };

        Assert.Equal(EnsureOutcome.Updated, await EnsureGatewayAsync(Gateway(segment, [moved])));
    }

    /// <summary>The metadata service tells each node its SSH keys: new keys are a change the gateway must take up.</summary>
    [ConformanceFact]
    public async Task EnsureGateway_NodeSshKeysChanged_IsUpdated()
    {
        var segment = Segment();
        await EnsureSegmentAsync(segment);
        await EnsureGatewayAsync(Gateway(segment, [Node(1)]));
        var rekeyed = Gateway(segment, [Node(1, ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG90aGVya2V5b3RoZXJrZXlvdGhlcmtleW90aGVya2V5 other"])]);

        var updated = await EnsureGatewayAsync(rekeyed);
        var again = await EnsureGatewayAsync(rekeyed);

        Assert.Equal(EnsureOutcome.Updated, updated);
        Assert.Equal(EnsureOutcome.Unchanged, again);
    }

    [ConformanceFact]
    public async Task DeleteGateway_Existing_IsDeletedAndSegmentStays()
    {
        var segment = Segment();
        await EnsureSegmentAsync(segment);
        var gateway = Gateway(segment);
        await EnsureGatewayAsync(gateway);

        var deleted = await Host.Network.DeleteGatewayAsync(gateway.Name, Ct);

        Assert.Equal(DeleteOutcome.Deleted, deleted);
        var listed = await ListAsync();
        Assert.DoesNotContain(gateway.Name, listed.Gateways);
        Assert.Contains(segment.Bridge, listed.Segments);
    }

    [ConformanceFact]
    public async Task DeleteGateway_Twice_SecondIsAbsent()
    {
        var segment = Segment();
        await EnsureSegmentAsync(segment);
        var gateway = Gateway(segment);
        await EnsureGatewayAsync(gateway);
        await Host.Network.DeleteGatewayAsync(gateway.Name, Ct);

        Assert.Equal(DeleteOutcome.Absent, await Host.Network.DeleteGatewayAsync(gateway.Name, Ct));
    }

    [ConformanceFact]
    public async Task DeleteGateway_NeverMade_IsAbsent() =>
        Assert.Equal(DeleteOutcome.Absent, await Host.Network.DeleteGatewayAsync(Name("gw"), Ct));

    [ConformanceFact]
    public async Task EnsureGateway_AfterDelete_IsCreated()
    {
        var segment = Segment();
        await EnsureSegmentAsync(segment);
        var gateway = Gateway(segment);
        await EnsureGatewayAsync(gateway);
        await Host.Network.DeleteGatewayAsync(gateway.Name, Ct);

        Assert.Equal(EnsureOutcome.Created, await EnsureGatewayAsync(gateway));
        Assert.Contains(gateway.Name, (await ListAsync()).Gateways);
    }

    [ConformanceFact]
    public async Task EnsureVpn_New_IsCreatedAndListed()
    {
        var segment = Segment();
        await EnsureSegmentAsync(segment);
        var vpn = Vpn(segment);

        Assert.Equal(EnsureOutcome.Created, await EnsureVpnAsync(vpn));

        var listed = await ListAsync();
        Assert.Contains(vpn.Name, listed.Vpns);
        Assert.Contains(segment.Bridge, listed.Segments);
    }

    [ConformanceFact]
    public async Task EnsureVpn_Twice_SecondIsUnchanged()
    {
        var segment = Segment();
        await EnsureSegmentAsync(segment);
        var vpn = Vpn(segment);

        var first = await EnsureVpnAsync(vpn);
        var second = await EnsureVpnAsync(vpn);

        Assert.Equal(EnsureOutcome.Created, first);
        Assert.Equal(EnsureOutcome.Unchanged, second);
        Assert.Single((await ListAsync()).Vpns, v => v == vpn.Name);
    }

    [ConformanceFact]
    public async Task EnsureVpn_RateChanged_IsUpdated()
    {
        var segment = Segment();
        await EnsureSegmentAsync(segment);
        await EnsureVpnAsync(Vpn(segment));

        var limited = await EnsureVpnAsync(Vpn(segment, rateMbit: 20));
        var again = await EnsureVpnAsync(Vpn(segment, rateMbit: 20));
        var unlimited = await EnsureVpnAsync(Vpn(segment));

        Assert.Equal(EnsureOutcome.Updated, limited);
        Assert.Equal(EnsureOutcome.Unchanged, again);
        Assert.Equal(EnsureOutcome.Updated, unlimited);
    }

    [ConformanceFact]
    public async Task EnsureVpn_KeysChanged_IsUpdated()
    {
        var segment = Segment();
        await EnsureSegmentAsync(segment);
        var vpn = Vpn(segment);
        await EnsureVpnAsync(vpn);

        var rekeyed = vpn with { TlsCryptKey = VpnKeys.TlsCryptKey() };

        Assert.Equal(EnsureOutcome.Updated, await EnsureVpnAsync(rekeyed));
        Assert.Equal(EnsureOutcome.Unchanged, await EnsureVpnAsync(rekeyed));
    }

    [ConformanceFact]
    public async Task EnsureVpn_NoSuchBridge_Fails()
    {
        var vpn = Vpn(Segment());

        await Assert.ThrowsAsync<DriverException>(() => EnsureVpnAsync(vpn));
    }

    [ConformanceFact]
    public async Task DeleteVpn_Existing_IsDeletedAndSegmentStays()
    {
        var segment = Segment();
        await EnsureSegmentAsync(segment);
        var vpn = Vpn(segment);
        await EnsureVpnAsync(vpn);

        var deleted = await Host.Network.DeleteVpnAsync(vpn.Name, Ct);
        var again = await Host.Network.DeleteVpnAsync(vpn.Name, Ct);

        Assert.Equal(DeleteOutcome.Deleted, deleted);
        Assert.Equal(DeleteOutcome.Absent, again);
        var listed = await ListAsync();
        Assert.DoesNotContain(vpn.Name, listed.Vpns);
        Assert.Contains(segment.Bridge, listed.Segments);
    }

    [ConformanceFact]
    public async Task DeleteVpn_NeverMade_IsAbsent() =>
        Assert.Equal(DeleteOutcome.Absent, await Host.Network.DeleteVpnAsync(Name("vpn"), Ct));

    [ConformanceFact]
    public async Task DeleteSegment_VpnEndAttached_RefusedUntilVpnDeleted()
    {
        var segment = Segment();
        await EnsureSegmentAsync(segment);
        var vpn = Vpn(segment);
        await EnsureVpnAsync(vpn);

        var refused = await Assert.ThrowsAsync<DriverException>(() => Host.Network.DeleteSegmentAsync(segment.Bridge, Ct));
        Assert.False(refused.Terminal);
        Assert.Contains(segment.Bridge, (await ListAsync()).Segments);

        await Host.Network.DeleteVpnAsync(vpn.Name, Ct);
        Assert.Equal(DeleteOutcome.Deleted, await Host.Network.DeleteSegmentAsync(segment.Bridge, Ct));
    }

    private Task<NetworkInventory> ListAsync() => Host.Network.ListAsync(Ct);

    private List<string> Mine(IReadOnlyList<string> names) =>
        names.Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
}
