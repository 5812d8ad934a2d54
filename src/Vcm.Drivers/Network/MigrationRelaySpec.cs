using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Vcm.Drivers.Compute;

namespace Vcm.Drivers.Network;

/// <summary>
/// One end of a cross-site migration's relay. A live migration between sites cannot reach the other site's host
/// directly (each site's management network is its own), so its two streams — the memory and the disk's NBD export —
/// cross on the cluster's own segment and VPN: each end is a network namespace <see cref="Name"/> joined to the
/// cluster's bridge <see cref="Bridge"/> by a veth, holding <see cref="LocalAddress"/>, an IPv6 ULA of the
/// migration's own /64 (never one of the tenant's addresses). The receiving end listens on
/// [<see cref="LocalAddress"/>]:<see cref="MemoryPort"/> and :<see cref="DiskPort"/>, takes connections only from
/// <see cref="RemoteAddress"/>, and passes each to the receiver VM's unix sockets (<see cref="Receiver"/>'s URIs,
/// from a <see cref="Rpc.PrepareIncomingVmStep"/> with <see cref="IncomingVm.UnixSockets"/>); the sending end listens
/// on unix sockets of its own and passes each connection to [<see cref="RemoteAddress"/>]:port, and its ensure answers
/// the <see cref="IncomingVm"/> the source's QEMU migrates to.
/// </summary>
public sealed record MigrationRelaySpec(
    string Name,
    string Vm,
    string Bridge,
    MigrationRelaySide Side,
    string LocalAddress,
    string RemoteAddress,
    int MemoryPort,
    int DiskPort,
    IncomingVm? Receiver = null)
{
    public const int DefaultMemoryPort = 7301;

    public const int DefaultDiskPort = 7302;

    /// <summary>
    /// The end of <paramref name="side"/> for the migration <paramref name="migrationId"/>: both sites derive the same
    /// names and addresses from the id. Names are "vcmr" + 8 hex digits + 's' or 'r' (distinct ends, so a lab whose
    /// hosts share one kernel keeps them apart); the /64 is fd76:636d:HHHH:HHHH::/64, the sender ::1, the receiver ::2.
    /// </summary>
    public static MigrationRelaySpec For(string migrationId, string vm, string bridge, MigrationRelaySide side, IncomingVm? receiver = null)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(migrationId)));
        var prefix = string.Create(CultureInfo.InvariantCulture, $"fd76:636d:{hash[..4]}:{hash[4..8]}");
        var (local, remote) = side == MigrationRelaySide.Send ? ("::1", "::2") : ("::2", "::1");
        return new MigrationRelaySpec(
            $"vcmr{hash[..8]}{(side == MigrationRelaySide.Send ? 's' : 'r')}", vm, bridge, side,
            prefix + local, prefix + remote, DefaultMemoryPort, DefaultDiskPort, receiver);
    }
}

public enum MigrationRelaySide
{
    /// <summary>On the source's host: unix sockets the source's QEMU sends to, passed to the receiving end.</summary>
    Send,

    /// <summary>On the destination's host: the receiving end's TCP ports, passed to the receiver VM's unix sockets.</summary>
    Receive,
}
