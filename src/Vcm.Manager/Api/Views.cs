using Vcm.Api;
using Vcm.Domain.Sizes;
using Vcm.Manager.Admission;
using Vcm.Store.Records;

namespace Vcm.Manager.Api;

/// <summary>Maps stored records to the API's views.</summary>
public static class Views
{
    public static ClusterView Cluster(
        ClusterRecord c, string siteName, IReadOnlyList<NodeRecord>? nodes, IReadOnlyDictionary<string, HostRecord>? hosts) => new()
    {
        Id = c.Id,
        Name = c.Name,
        Phase = c.Phase,
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
        Spec = StoredSpec.Deserialize(c.Spec).ToView(),
        Nodes = nodes?.Select(n => new NodeView(
            n.Name, n.Role, n.HostId is not null && hosts is not null && hosts.TryGetValue(n.HostId, out var h) ? h.Name : n.RemoteHost ?? "-",
            n.Site, n.Ip, n.Mac, n.State, n.Detail, n.HostKeyFingerprint)).ToList(),
    };

    public static EventView Event(EventRecord e) => new(Time(e.AtMs), e.Type, e.Reason, e.Message, e.Source);

    public static HostView Host(HostRecord h, string siteName, long usedCpus, long usedMemoryMb, long usedDiskMb) => new()
    {
        Name = h.Name,
        Site = siteName,
        State = h.State,
        Roles = Roles(h.Roles),
        Driver = h.Driver,
        Kvm = h.Kvm,
        Address = h.Address,
        Capacity = new CapacityView(h.Cpus, ByteSize.FromMebibytes(h.MemoryMb).ToString(), ByteSize.FromMebibytes(h.DiskMb).ToString()),
        Free = new CapacityView(
            h.Cpus - usedCpus, ByteSize.FromMebibytes(h.MemoryMb - usedMemoryMb).ToString(), ByteSize.FromMebibytes(h.DiskMb - usedDiskMb).ToString()),
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
