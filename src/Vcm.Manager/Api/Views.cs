using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Domain.Packages;
using Vcm.Domain.Sizes;
using Vcm.Domain.Text;
using Vcm.Store.Hosts;
using Vcm.Store.Records;

namespace Vcm.Manager.Api;

/// <summary>Maps stored records to the API's views.</summary>
public static class Views
{
    public static ClusterView Cluster(
        ClusterRecord c, string siteName, IReadOnlyList<NodeRecord>? nodes, IReadOnlyDictionary<string, HostRecord>? hosts,
        IReadOnlyList<ClusterPartRecord>? parts = null) => new()
    {
        Id = c.Id,
        Name = c.Name,
        Phase = c.Phase.ToString(),
        Reason = c.Reason,
        Site = siteName,
        Start = Time(c.StartMs),
        End = Time(c.EndMs),
        CreatedAt = Time(c.CreatedMs),
        DeletionRequestedAt = c.DeletionRequestedMs is { } d ? Time(d) : null,
        NodesReady = c.NodesReady,
        NodesTotal = c.NodesTotal,
        Subnet = c.Subnet,
        Vni = c.Vni,
        Spec = c.Spec,
        Conditions = c.Conditions.Select(x => new ConditionView(x.Type.ToString(), x.Reason, x.Message, x.Since, x.LastSeen, x.Attempts)).ToList(),
        Nodes = nodes?.Select(n => new NodeView(
            n.Name, EnumText.Lower(n.Role), n.HostId is not null && hosts is not null && hosts.TryGetValue(n.HostId, out var h) ? h.Name : n.RemoteHost ?? "-",
            n.Site, n.Ip, n.Mac, EnumText.Lower(n.State), n.Detail, n.HostKeyFingerprint)).ToList(),
        Parts = parts?.Select(p => new PartView(
            p.Site, nodes?.Count(n => n.Site == p.Site && n.HostId is null) ?? 0, EnumText.Lower(p.State), p.Phase?.ToString(), p.Reason)).ToList() ?? [],
        Estimate = c.Estimate is { } e ? Estimate(e) : null,
    };

    public static EstimateView Estimate(ReadyEstimate e) => new(
        e.Way.ToString(), Math.Round(e.Seconds, 1), e.Why,
        e.Considered.Select(w => new WayView(w.Way.ToString(), Math.Round(w.Seconds, 1), w.Why, w.Boots)).ToList());

    public static EventView Event(EventRecord e) => new(Time(e.AtMs), e.Type.ToString(), e.Reason.ToString(), e.Message, e.Source);

    public static HostView Host(HostRecord h, string siteName, HostUsage? used) => new()
    {
        Name = h.Name,
        Site = siteName,
        State = EnumText.Lower(h.State),
        Roles = Roles(h.Roles),
        Driver = h.Driver,
        Kvm = h.Kvm,
        Address = h.Address,
        Capacity = new CapacityView(h.Cpus, ByteSize.FromMebibytes(h.MemoryMb).ToString(), ByteSize.FromMebibytes(h.DiskMb).ToString()),
        Free = new CapacityView(
            h.Cpus - (used?.Cpus ?? 0),
            ByteSize.FromMebibytes(h.MemoryMb - (used?.MemoryMb ?? 0)).ToString(),
            ByteSize.FromMebibytes(h.DiskMb - (used?.DiskMb ?? 0)).ToString()),
        HeartbeatAt = Time(h.HeartbeatMs),
    };

    public static IReadOnlyList<string> Roles(int roles)
    {
        var list = new List<string>(3);
        if ((roles & 1) != 0)
        {
            list.Add("compute");
        }

        if ((roles & 2) != 0)
        {
            list.Add("gateway");
        }

        if ((roles & 4) != 0)
        {
            list.Add("storage");
        }

        return list;
    }

    public static int RolesFlags(IEnumerable<string> roles) => roles.Aggregate(0, (flags, role) => flags | role switch
    {
        "compute" => 1,
        "gateway" => 2,
        "storage" => 4,
        _ => 0,
    });

    public static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
