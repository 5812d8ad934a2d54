using System.Globalization;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Vcm.Domain.Clusters;
using Vcm.Domain.Common;
using Vcm.Domain.Events;
using Vcm.Domain.Hosts;
using Vcm.Domain.Networking;
using Vcm.Domain.Sizes;
using Vcm.Store.Admission;
using Vcm.Store.Records;

namespace Vcm.Store.Tests;

/// <summary>Rows the tests need (sites, agents, hosts, clusters), written straight through the context.</summary>
public static class Seed
{
    /// <summary>2030-01-01T00:00:00Z: the tests' "now", in Unix milliseconds.</summary>
    public const long T0 = 1_893_456_000_000;

    public static async Task<SiteRecord> SiteAsync(Database database, string name = "local", bool isLocal = true)
    {
        var site = new SiteRecord { Id = Ids.New(), Name = name, IsLocal = isLocal, VniFirst = 1000, VniLast = 1999, Version = 1 };
        await AddAsync(database, site);
        return site;
    }

    /// <summary>An agent with <paramref name="count"/> ready hosts (h1, h2, …) of 64 CPUs each.</summary>
    public static async Task<IReadOnlyList<HostRecord>> HostsAsync(Database database, string siteId, int count, string agentId = "agent-1")
    {
        var agent = new AgentRecord
        {
            Id = agentId, SiteId = siteId, Url = "http://agent", Key = "key-" + agentId, JoinedMs = T0, HeartbeatMs = T0, Version = 1,
        };
        var hosts = Enumerable.Range(1, count).Select(i => new HostRecord
        {
            Id = Ids.New(),
            SiteId = siteId,
            AgentId = agentId,
            Name = string.Create(CultureInfo.InvariantCulture, $"{agentId}-h{i}"),
            Roles = 7,
            Cpus = 64,
            MemoryMb = 262_144,
            DiskMb = 4_000_000,
            Kvm = true,
            Address = string.Create(CultureInfo.InvariantCulture, $"10.0.0.{i}"),
            Driver = "sim",
            State = HostState.Ready,
            HeartbeatMs = T0,
            Version = 1,
        }).ToList();
        await AddAsync(database, [agent, .. hosts]);
        return hosts;
    }

    /// <summary>A live cluster record (not stored), due at <see cref="T0"/> unless <paramref name="change"/> says otherwise.</summary>
    public static ClusterRecord Cluster(string siteId, string name, Action<ClusterRecord>? change = null)
    {
        var cluster = new ClusterRecord
        {
            Id = Ids.New(),
            Name = name,
            ActiveName = name,
            SiteId = siteId,
            Spec = Spec(name),
            Phase = ClusterPhase.Scheduled,
            Reason = "starting",
            StartMs = T0,
            EndMs = T0 + 3_600_000,
            CreatedMs = T0,
            UpdatedMs = T0,
            Generation = 1,
            NodesTotal = 0,
            Subnet = "10.10.0.0/24",
            PhaseSinceMs = T0,
            NextReconcileMs = T0,
            Version = 1,
        };
        change?.Invoke(cluster);
        return cluster;
    }

    public static async Task<ClusterRecord> ClusterAsync(Database database, string siteId, string name, Action<ClusterRecord>? change = null)
    {
        var cluster = Cluster(siteId, name, change);
        await AddAsync(database, cluster);
        return cluster;
    }

    public static NodeRecord Node(string clusterId, string hostId, int idx) => new()
    {
        Id = Ids.New(),
        ClusterId = clusterId,
        Name = NodeName(idx),
        Role = idx == 0 ? NodeRole.Head : NodeRole.Worker,
        Idx = idx,
        HostId = hostId,
        Site = "local",
        Mac = string.Create(CultureInfo.InvariantCulture, $"02:00:00:{idx >> 16 & 0xff:x2}:{idx >> 8 & 0xff:x2}:{idx & 0xff:x2}"),
        Ip = string.Create(CultureInfo.InvariantCulture, $"10.{idx >> 16 & 0xff}.{idx >> 8 & 0xff}.{idx & 0xff}"),
        State = NodeState.Pending,
        Version = 1,
    };

    public static string NodeName(int idx) => string.Create(CultureInfo.InvariantCulture, $"node-{idx:D5}");

    public static ClaimRecord Claim(string clusterId, string hostId, long startMs, long endMs) => new()
    {
        Id = Ids.New(), ClusterId = clusterId, HostId = hostId, StartMs = startMs, EndMs = endMs, Cpus = 2, MemoryMb = 2048, DiskMb = 10_240,
    };

    public static EventRecord Event(string clusterId, long atMs, string message = "admitted") =>
        EventRecord.Create(clusterId, DateTimeOffset.FromUnixTimeMilliseconds(atMs), EventType.Normal, EventReason.Admitted, message, "test");

    /// <summary>A spec of one worker and a head, named <paramref name="name"/>, for the hour from <see cref="T0"/>.</summary>
    public static ClusterSpec Spec(string name) => new()
    {
        Name = name,
        Workers = 1,
        Cpus = 1,
        Memory = ByteSize.FromMebibytes(512),
        Disk = ByteSize.FromGibibytes(2),
        Image = "micro",
        Start = DateTimeOffset.FromUnixTimeMilliseconds(T0),
        End = DateTimeOffset.FromUnixTimeMilliseconds(T0 + 3_600_000),
        Subnet = Ipv4Subnet.Parse("10.10.0.0/24"),
    };

    /// <summary>Stores a cluster with its nodes and claims the way admission does: in an admission's transaction.</summary>
    public static async Task InsertAsync(Database database, ClusterRecord cluster, IReadOnlyList<NodeRecord> nodes, IReadOnlyList<ClaimRecord> claims)
    {
        await using var transaction = await new AdmissionStore(database).BeginAsync(cluster.SiteId, CancellationToken.None);
        await transaction.InsertAsync(cluster, nodes, claims, [Event(cluster.Id, cluster.CreatedMs)], [], CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
    }

    public static async Task AddAsync(Database database, params object[] records)
    {
        await using var db = database.CreateContext();
        db.AddRange(records);
        await db.SaveChangesAsync();
    }

    public static async Task<long> CountAsync(Database database, string table)
    {
        await using var db = database.CreateContext();
        return await db.Database.GetDbConnection().ExecuteScalarAsync<long>("SELECT COUNT(*) FROM " + table);
    }
}
