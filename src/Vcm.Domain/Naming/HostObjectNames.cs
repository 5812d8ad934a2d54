using System.Globalization;

namespace Vcm.Domain.Naming;

/// <summary>
/// Deterministic names for everything vcm makes on a host, derived from ids, so that a rerun after a crash finds
/// what the crashed run made. Every name starts with "vc" so vcm's objects are recognisable and nothing else is
/// touched; Linux interface names stay within 15 characters.
/// </summary>
public static class HostObjectNames
{
    /// <summary>The part of a cluster id used in names: its last 12 hex digits (random in a version-7 id).</summary>
    public static string ClusterTag(string clusterId) =>
        clusterId.Length <= 12 ? clusterId : clusterId[^12..];

    public static string Vm(string clusterId, string nodeName) => $"vc-{ClusterTag(clusterId)}-{nodeName}";

    public static string Disk(string clusterId, string nodeName) => $"vc-{ClusterTag(clusterId)}-{nodeName}.qcow2";

    public static string Gateway(string clusterId) => $"vc-{ClusterTag(clusterId)}-gw";

    public static string Volume(string clusterId) => $"vc-{ClusterTag(clusterId)}-shared";

    /// <summary>The cluster's VPN end towards another site (at either end; the cluster id is that site's own).</summary>
    public static string Vpn(string clusterId, string otherSite) => $"vc-{ClusterTag(clusterId)}-vpn-{otherSite}";

    /// <summary>The iSCSI initiator name a node's VM uses; the volume's ACL admits exactly these.</summary>
    public static string Initiator(string clusterId, string nodeName) => $"iqn.2026-11.io.vcm:{ClusterTag(clusterId)}-{nodeName}";

    /// <summary>The cluster's bridge on a host, named after its VNI (unique among live clusters of a site).</summary>
    public static string Bridge(int vni) => "vcb" + vni.ToString(CultureInfo.InvariantCulture);

    /// <summary>The cluster's VXLAN device on a host.</summary>
    public static string Vxlan(int vni) => "vcx" + vni.ToString(CultureInfo.InvariantCulture);

    /// <summary>A MAC for node <paramref name="index"/>: QEMU's locally administered 52:54 prefix, a byte of the cluster, the index.</summary>
    public static string Mac(string clusterId, int index)
    {
        var tag = Convert.ToByte(ClusterTag(clusterId)[^2..], 16);
        var n = index + 1;
        return string.Create(CultureInfo.InvariantCulture, $"52:54:{tag:x2}:{(n >> 16) & 255:x2}:{(n >> 8) & 255:x2}:{n & 255:x2}");
    }
}
