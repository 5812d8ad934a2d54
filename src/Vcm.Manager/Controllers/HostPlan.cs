using Vcm.Domain.Clusters;
using Vcm.Domain.Packages;
using Vcm.Domain.Naming;
using Vcm.Domain.Networking;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Images;
using Vcm.Drivers.Network;
using Vcm.Drivers.Rpc;
using Vcm.Drivers.Storage;
using Vcm.Manager.Ssh;
using Vcm.Store.Records;

namespace Vcm.Manager.Controllers;

/// <summary>
/// The host steps that build or remove one cluster, derived only from the database's view of it, with the
/// deterministic names of <see cref="HostObjectNames"/>. Building is two rounds: first the network and storage on
/// every host involved, then images, disks and VMs on the compute hosts.
/// </summary>
public sealed class HostPlan
{
    private readonly ClusterRecord _cluster;
    private readonly ClusterSpec _spec;
    private readonly IReadOnlyList<NodeRecord> _nodes;
    private readonly IReadOnlyDictionary<string, HostRecord> _hosts;
    private readonly int _vni;
    private readonly ExternalAttachment? _external;

    private readonly IReadOnlyList<MigrationRecord> _migrations;

    public HostPlan(
        ClusterRecord cluster, IReadOnlyList<NodeRecord> nodes, IReadOnlyDictionary<string, HostRecord> hosts, int vni,
        ExternalAttachment? external = null, IReadOnlyList<VpnSpec>? vpns = null, IReadOnlyList<MigrationRecord>? migrations = null)
    {
        _migrations = migrations ?? [];
        Vpns = vpns ?? [];
        _external = external;
        _cluster = cluster;
        _spec = cluster.Spec;
        _nodes = nodes.Where(n => n.State != NodeState.Removing).ToList();
        _hosts = hosts;
        _vni = vni;
        Bridge = HostObjectNames.Bridge(vni);
        LocalNodes = _nodes.Where(n => n.HostId is not null).ToList();
        RemovingNodes = nodes.Where(n => n.State == NodeState.Removing && n.HostId is not null).ToList();
        NodeHostIds = LocalNodes.Select(n => n.HostId!).Distinct(StringComparer.Ordinal).ToList();
        // a node moving in needs the segment on its destination before its receiver starts
        SegmentHostIds = NodeHostIds.Append(cluster.GatewayHostId!)
            .Concat(_migrations.Where(m => m.State == Domain.Moves.MigrationState.Pending).Select(m => m.ToHostId).OfType<string>())
            .Distinct(StringComparer.Ordinal).ToList();
    }

    public string Bridge { get; }

    /// <summary>What the nodes boot from: the cluster's package-set layer when it has one, else the image asked for.</summary>
    public string BootImage => _cluster.Layer ?? _spec.Image;

    /// <summary>The cluster's VPN ends on its gateway host: server ends towards each part at the home, the client end at a part's site.</summary>
    public IReadOnlyList<VpnSpec> Vpns { get; }

    /// <summary>A part of another site's cluster: no gateway or volume here, the home's gateway serves its nodes.</summary>
    public bool IsPart => _cluster.HomeSite is not null;

    /// <summary>The nodes this site runs (a cluster's other nodes are built by other sites).</summary>
    public IReadOnlyList<NodeRecord> LocalNodes { get; }

    /// <summary>Workers a shrink released: their VMs and host objects are to be removed (<see cref="RemoveReleased"/>).</summary>
    public IReadOnlyList<NodeRecord> RemovingNodes { get; }

    /// <summary>Hosts that run the cluster's VMs here.</summary>
    public IReadOnlyList<string> NodeHostIds { get; }

    /// <summary>Hosts that carry the cluster's segment: the compute hosts and the gateway host.</summary>
    public IReadOnlyList<string> SegmentHostIds { get; }

    /// <summary>Every host the cluster touches.</summary>
    public IEnumerable<string> AllHostIds =>
        _cluster.StorageHostId is { } storage ? SegmentHostIds.Append(storage).Distinct(StringComparer.Ordinal) : SegmentHostIds;

    public string HostName(string hostId) => _hosts[hostId].Name;

    public string VmName(NodeRecord node) => HostObjectNames.Vm(_cluster.Id, node.Name);

    /// <summary>Round one: segments, the gateway, the shared volume.</summary>
    public IReadOnlyList<HostWork> Infrastructure()
    {
        var work = new Dictionary<string, List<HostStep>>(StringComparer.Ordinal);
        foreach (var hostId in SegmentHostIds)
        {
            Steps(work, hostId).Add(new EnsureSegmentStep(Segment(hostId)));
        }

        if (!IsPart)
        {
            Steps(work, _cluster.GatewayHostId!).Add(new EnsureGatewayStep(Gateway()));
        }

        Steps(work, _cluster.GatewayHostId!).AddRange(Vpns.Select(v => new EnsureVpnStep(v)));
        if (_cluster.StorageHostId is { } storage && _spec.Shared is { } shared)
        {
            var head = _nodes.FirstOrDefault(n => n.Role == NodeRole.Head) ?? _nodes[0];
            Steps(work, storage).Add(new EnsureVolumeStep(new VolumeSpec(
                HostObjectNames.Volume(_cluster.Id), shared.Mebibytes, [HostObjectNames.Initiator(_cluster.Id, head.Name)])));
        }

        return work.Where(kv => !IsDead(kv.Key)).Select(kv => new HostWork(HostName(kv.Key), kv.Value)).ToList();
    }

    /// <summary>
    /// A dead host (fenced, or declared dead) gets no work: nothing is built there — a piece that waits on it for room
    /// waits — and nothing is removed (what was there stopped with the fence; its files go when it is returned, wiped).
    /// </summary>
    private bool IsDead(string hostId) => _hosts.TryGetValue(hostId, out var host) && host.State == Vcm.Domain.Hosts.HostState.Dead;

    /// <summary>
    /// Round two: on each compute host, the image, then each node's disk and VM. With the hosts' agents known, the
    /// image goes down a chain of hosts (<see cref="ImageChain"/>); without, every host copies from the store.
    /// </summary>
    public IReadOnlyList<HostWork> Nodes(VolumeStatus? shared, IReadOnlyDictionary<string, Agents.AgentRoute>? routes = null)
    {
        var chain = routes is null ? null : ImageChain.Plan(NodeHostIds.Select(HostName), routes);
        return LocalNodes.Where(n => !IsDead(n.HostId!)).GroupBy(n => n.HostId!).Select(group =>
        {
            var steps = new List<HostStep>(1 + group.Count() * 2) { new EnsureImageStep(BootImage) { Peer = chain?.GetValueOrDefault(HostName(group.Key)) } };
            foreach (var node in group)
            {
                var disk = HostObjectNames.Disk(_cluster.Id, node.Name);
                steps.Add(new EnsureDiskStep(new DiskSpec(disk, BootImage, _spec.Disk.Mebibytes)));
                steps.Add(new EnsureVmStep(Vm(node, disk, shared)));
            }

            return new HostWork(HostName(group.Key), steps);
        }).ToList();
    }

    /// <summary>Re-ensures the VPN ends (a dead tunnel process is restarted).</summary>
    public IReadOnlyList<HostWork> VpnWork() =>
        Vpns.Count == 0 ? [] : [new HostWork(HostName(_cluster.GatewayHostId!), Vpns.Select(v => (HostStep)new EnsureVpnStep(v)).ToList())];

    /// <summary>
    /// The VMs and disks of the workers a shrink released, and the segment on each host left with none of the
    /// cluster's nodes (the gateway's host keeps it); every step is tried. The gateway's DHCP and DNS entries for them
    /// go when <see cref="Infrastructure"/> ensures the gateway without them.
    /// </summary>
    public IReadOnlyList<HostWork> RemoveReleased()
    {
        var work = new Dictionary<string, List<HostStep>>(StringComparer.Ordinal);
        DeleteNodes(work, RemovingNodes);
        foreach (var hostId in RemovingNodes.Select(n => n.HostId!).Distinct(StringComparer.Ordinal).Where(h => !SegmentHostIds.Contains(h)))
        {
            Steps(work, hostId).Add(new DeleteSegmentStep(Bridge));
        }

        return OnLiveHosts(work);
    }

    /// <summary>Everything the cluster may have made, removed per host in dependency order; every step is tried.</summary>
    public IReadOnlyList<HostWork> Release()
    {
        var work = new Dictionary<string, List<HostStep>>(StringComparer.Ordinal);
        DeleteNodes(work, LocalNodes.Concat(RemovingNodes));
        foreach (var (hostId, node) in StrayCopies())
        {
            DeleteCopy(Steps(work, hostId), node);
        }

        // a migration across sites cut short by the release: its relay end here
        foreach (var migration in _migrations.Where(m => m.AcrossSites))
        {
            var (hostId, side) = migration.ToSite is not null ? (migration.FromHostId, MigrationRelaySide.Send) : (migration.ToHostId, MigrationRelaySide.Receive);
            if (hostId is not null)
            {
                Steps(work, hostId).Add(new DeleteMigrationRelayStep(RelayName(migration, side)));
            }
        }

        Steps(work, _cluster.GatewayHostId!).AddRange(Vpns.Select(v => new DeleteVpnStep(v.Name)));
        Steps(work, _cluster.GatewayHostId!).Add(new DeleteGatewayStep(HostObjectNames.Gateway(_cluster.Id)));
        if (_cluster.StorageHostId is { } storage)
        {
            Steps(work, storage).Add(new DeleteVolumeStep(HostObjectNames.Volume(_cluster.Id)));
        }

        foreach (var hostId in SegmentHostIds.Concat(RemovingNodes.Select(n => n.HostId!)).Concat(StrayCopies().Select(c => c.HostId)).Distinct(StringComparer.Ordinal))
        {
            Steps(work, hostId).Add(new DeleteSegmentStep(Bridge));
        }

        return OnLiveHosts(work);
    }

    /// <summary>Removal work for the hosts that can still do it: a dead host is skipped (<see cref="IsDead"/>).</summary>
    private List<HostWork> OnLiveHosts(Dictionary<string, List<HostStep>> work) => work
        .Where(kv => !IsDead(kv.Key))
        .Select(kv => new HostWork(HostName(kv.Key), kv.Value, ContinueOnError: true)).ToList();

    private void DeleteNodes(Dictionary<string, List<HostStep>> work, IEnumerable<NodeRecord> nodes)
    {
        foreach (var node in nodes)
        {
            DeleteCopy(Steps(work, node.HostId!), node.Name);
        }
    }

    private void DeleteCopy(List<HostStep> steps, string node)
    {
        steps.Add(new DeleteVmStep(HostObjectNames.Vm(_cluster.Id, node)));
        steps.Add(new DeleteDiskStep(HostObjectNames.Disk(_cluster.Id, node)));
    }

    /// <summary>
    /// The hosts that hold a copy of a node besides its own: a moving node's receiver (pending, aborting) and a moved
    /// node's old copy (moved). Releasing removes them with the rest.
    /// </summary>
    private IEnumerable<(string HostId, string Node)> StrayCopies() => _migrations
        .Select(m => (HostId: m.State == Domain.Moves.MigrationState.Moved ? m.FromHostId : m.ToHostId, m.Node))
        .Where(c => c.HostId is not null)
        .Select(c => (c.HostId!, c.Node));

    /// <summary>
    /// A migration's first round on its destination: the image, an empty disk of the node's over it, and the node's
    /// VM started as the receiver, listening on the destination's address — or, for a node arriving from another
    /// site, on unix sockets that the migration's relay passes the streams to.
    /// </summary>
    public HostWork PrepareIncoming(MigrationRecord migration, NodeRecord node, VolumeStatus? shared)
    {
        var disk = HostObjectNames.Disk(_cluster.Id, node.Name);
        var to = migration.ToHostId!;
        return new HostWork(HostName(to),
        [
            new EnsureImageStep(BootImage),
            new EnsureDiskStep(new DiskSpec(disk, BootImage, _spec.Disk.Mebibytes)),
            new PrepareIncomingVmStep(Vm(node, disk, shared), migration.FromSite is null ? _hosts[to].Address : IncomingVm.UnixSockets),
        ]);
    }

    /// <summary>A node arriving from another site: the receiving end of its relay, on the cluster's segment here, passing the streams to the receiver.</summary>
    public HostWork ReceiveRelay(MigrationRecord migration, IncomingVm receiver) =>
        new(HostName(migration.ToHostId!), [new EnsureMigrationRelayStep(
            MigrationRelaySpec.For(migration.Id, receiver.Name, Bridge, MigrationRelaySide.Receive, receiver))]);

    /// <summary>A node leaving for another site: the sending end of its relay on the source's host; its result is where the source migrates to.</summary>
    public HostWork SendRelay(MigrationRecord migration) =>
        new(HostName(migration.FromHostId!), [new EnsureMigrationRelayStep(
            MigrationRelaySpec.For(migration.Id, HostObjectNames.Vm(_cluster.Id, migration.Node), Bridge, MigrationRelaySide.Send))]);

    /// <summary>The migration itself, on the source: disk and memory to the receiver, then the switch-over.</summary>
    public HostWork Migrate(MigrationRecord migration, IncomingVm incoming) =>
        new(HostName(migration.FromHostId!), [new MigrateVmStep(HostObjectNames.Vm(_cluster.Id, migration.Node), incoming)]);

    /// <summary>
    /// After the switch-over (the node is recorded on its new host): the new copy made an ordinary VM of its host,
    /// the old copy and its disk removed, and the old host's segment too when none of the cluster's nodes is left there.
    /// Across sites each site does its own half: the home removes the old copy and its relay end; the peer adopts the
    /// new copy and removes its relay end.
    /// </summary>
    public IReadOnlyList<HostWork> FinishMove(MigrationRecord migration, NodeRecord node, VolumeStatus? shared)
    {
        var disk = HostObjectNames.Disk(_cluster.Id, node.Name);
        var work = new List<HostWork>();
        if (migration.ToHostId is { } to)
        {
            var steps = new List<HostStep> { new EnsureVmStep(Vm(node, disk, shared)) };
            if (migration.FromSite is not null)
            {
                steps.Add(new DeleteMigrationRelayStep(RelayName(migration, MigrationRelaySide.Receive)));
            }

            work.Add(new HostWork(HostName(to), steps));
        }

        if (migration.FromHostId is { } from)
        {
            var source = new List<HostStep>();
            DeleteCopy(source, node.Name);
            if (migration.ToSite is not null)
            {
                source.Add(new DeleteMigrationRelayStep(RelayName(migration, MigrationRelaySide.Send)));
            }

            if (!SegmentHostIds.Contains(from))
            {
                source.Add(new DeleteSegmentStep(Bridge));
            }

            work.Add(new HostWork(HostName(from), source, ContinueOnError: true));
        }

        return work.Where(w => !IsDead(HostId(w.Host))).ToList();
    }

    /// <summary>
    /// A given-up migration: the receiver and its disk removed, and the destination's segment when nothing else of the
    /// cluster needs it there; across sites, each site's relay end too (the home's on the source, which runs on).
    /// </summary>
    public IReadOnlyList<HostWork> AbortMove(MigrationRecord migration)
    {
        if (migration.ToSite is not null)
        {
            return IsDead(migration.FromHostId!) ? [] // what was there stopped with the fence
                : [new HostWork(HostName(migration.FromHostId!), [new DeleteMigrationRelayStep(RelayName(migration, MigrationRelaySide.Send))])];
        }

        var to = migration.ToHostId!;
        var steps = new List<HostStep>();
        DeleteCopy(steps, migration.Node);
        if (migration.FromSite is not null)
        {
            steps.Add(new DeleteMigrationRelayStep(RelayName(migration, MigrationRelaySide.Receive)));
        }

        var stillNeeded = NodeHostIds.Contains(to) || to == _cluster.GatewayHostId
            || _migrations.Any(m => m.Id != migration.Id && m.State == Domain.Moves.MigrationState.Pending && m.ToHostId == to);
        if (!stillNeeded)
        {
            steps.Add(new DeleteSegmentStep(Bridge));
        }

        return IsDead(to) ? [] : [new HostWork(HostName(to), steps, ContinueOnError: true)];
    }

    /// <summary>Where a migration comes from or goes to, in words: a host here, or a site and its host there.</summary>
    public string Place(MigrationRecord migration, bool from)
    {
        var (hostId, site) = from ? (migration.FromHostId, migration.FromSite) : (migration.ToHostId, migration.ToSite);
        return hostId is not null ? HostName(hostId)
            : site is null ? "?"
            : !from && migration.RemoteHost is { } remote ? $"{remote} at site {site}" : $"site {site}";
    }

    private string HostId(string name) => _hosts.Values.First(h => h.Name == name).Id;

    private string RelayName(MigrationRecord migration, MigrationRelaySide side) =>
        MigrationRelaySpec.For(migration.Id, HostObjectNames.Vm(_cluster.Id, migration.Node), Bridge, side).Name;

    private SegmentSpec Segment(string hostId) => new()
    {
        Bridge = Bridge,
        Vxlan = HostObjectNames.Vxlan(_vni),
        Vni = _vni,
        Peers = SegmentHostIds.Where(h => h != hostId).Select(h => _hosts[h].Address).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
    };

    private GatewaySpec Gateway()
    {
        var subnet = Ipv4Subnet.Parse(_cluster.Subnet);
        var nodeKey = _cluster.AdminPrivateKey is { } admin ? ClusterSecrets.NodeKey(admin, _cluster.Name) : null;
        var keys = Keys(nodeKey);
        return new GatewaySpec
        {
            Name = HostObjectNames.Gateway(_cluster.Id),
            Bridge = Bridge,
            Subnet = subnet.ToString(),
            Address = subnet.Gateway,
            Domain = _cluster.Name,
            Nodes = _nodes.Select(n => new GatewayNode(
                n.Name, n.Mac, n.Ip, keys, null, n.Token ?? "", _external is null ? 0 : n.SshPort ?? 0,
                Head: n.Role == NodeRole.Head, Cpus: _spec.Cpus, MemoryMb: _spec.Memory.Mebibytes, HostKey: n.HostKeyPrivate)).ToList(),
            Setup = new GatewaySetup
            {
                Slurm = _spec.Role == ClusterRole.Slurm,
                MungeKey = _spec.Role == ClusterRole.Slurm && _cluster.AdminPrivateKey is { } secret ? ClusterSecrets.MungeKey(secret) : null,
                NodeKey = nodeKey?.PrivatePem,
                SharedVolume = _spec.Shared is not null && _spec.Head,
                Packages = InstallsAtBoot ? _spec.LayerPackages() : [],
                Files = _spec.Files.Select(f => new GatewayFile(f.Path, f.Mode, f.Content)).ToList(),
            },
            External = _external,
        };
    }

    /// <summary>
    /// The keys that may log in as root: the tenant's, vcm's admin key for the cluster, and root's key on the nodes
    /// (so that each node reaches the others, as mpirun and pdsh expect).
    /// </summary>
    private IReadOnlyList<string> Keys(AdminKey? nodeKey) =>
        [.. _spec.SshKeys, .. _cluster.AdminPublicKey is { } admin ? [admin] : Array.Empty<string>(), .. nodeKey is null ? [] : new[] { nodeKey.PublicLine }];

    /// <summary>The way chosen for the cluster's packages installs them at boot (its nodes boot the image or cache image it names).</summary>
    public bool InstallsAtBoot => _cluster.Estimate is { Way: var way, Chosen.Boots: { } boots } && way.InstallsAtBoot() && boots == _cluster.Layer;

    public string GatewayName => HostObjectNames.Gateway(_cluster.Id);

    public string GatewayHostName => HostName(_cluster.GatewayHostId!);

    private VmSpec Vm(NodeRecord node, string disk, VolumeStatus? shared) => new()
    {
        Name = VmName(node),
        Image = BootImage,
        GuestArgs = new Dictionary<string, string> { ["vm.name"] = node.Name, ["vm.token"] = node.Token ?? "" },
        Cpus = _spec.Cpus,
        MemoryMb = _spec.Memory.Mebibytes,
        Disk = disk,
        Mac = node.Mac,
        Bridge = Bridge,
        Hostname = node.Name,
        Volumes = node.Role == NodeRole.Head && shared is not null
            ? [new VolumeAttachment(shared.Portal, shared.Target, shared.Lun, HostObjectNames.Initiator(_cluster.Id, node.Name))]
            : [],
    };

    private static List<HostStep> Steps(Dictionary<string, List<HostStep>> work, string hostId)
    {
        if (!work.TryGetValue(hostId, out var steps))
        {
            steps = [];
            work[hostId] = steps;
        }

        return steps;
    }
}
