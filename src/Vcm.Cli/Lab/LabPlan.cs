using System.Globalization;

namespace Vcm.Cli.Lab;

/// <summary>
/// The shape of a lab: `--lab 1x3` is one site "a" with hosts a1..a3; `--lab 2x2` sites "a" and "b" with a1, a2,
/// b1, b2. The first host of each site is also its gateway and storage host. Addresses: management
/// 192.168.(254−site).0/24 (manager .1, hosts .11 up), external 172.31.(254−site).0/24 (router .1). Site a's manager
/// listens on <see cref="ManagerPort"/>, each further site's on the next port. Sites are joined by WAN links between
/// their gateway hosts (see <see cref="WanLinks"/>), <see cref="WanPaths"/> links per pair of sites (redundant paths),
/// each shaped to <see cref="WanRateMbit"/> when it is set.
/// </summary>
public sealed record LabPlan(IReadOnlyList<LabSite> Sites, int ManagerPort, int? WanRateMbit = null, int WanPaths = 1)
{
    public const int AgentPort = 9700;

    /// <summary>The most WAN paths a lab builds between two sites.</summary>
    public const int MaxWanPaths = 4;

    public static bool TryParse(string text, int managerPort, out LabPlan? plan, out string error)
    {
        plan = null;
        error = "";
        var parts = text.Split('x');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sites)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var hosts)
            || sites is < 1 or > 4 || hosts is < 1 or > 16)
        {
            error = $"--lab '{text}' is not SITESxHOSTS with 1 to 4 sites and 1 to 16 hosts each, like 1x3 or 2x2";
            return false;
        }

        plan = new LabPlan(Enumerable.Range(0, sites).Select(s => Site(s, hosts)).ToList(), managerPort);
        return true;
    }

    private static LabSite Site(int index, int hosts)
    {
        var name = ((char)('a' + index)).ToString();
        var mgmt = $"192.168.{254 - index}";
        return new LabSite(
            name,
            index,
            $"{mgmt}.0/24",
            $"{mgmt}.1",
            Enumerable.Range(1, hosts).Select(h => new LabHost(
                $"{name}{h}",
                $"vcl-{name}{h}",
                $"{mgmt}.{10 + h}",
                h == 1 ? ["compute", "gateway", "storage"] : ["compute"],
                AgentPort)).ToList(),
            $"172.31.{254 - index}.0/24",
            $"172.31.{254 - index}.1");
    }

    public IEnumerable<LabHost> AllHosts => Sites.SelectMany(s => s.Hosts);

    /// <summary>
    /// A star around site a: the k-th other site's first host is linked to a1 by a /30 per WAN path. Path 1:
    /// 172.16.0.(4k+1) on a1's side (interface wan{k}) and 172.16.0.(4k+2) on the other's (interface wan0); path p &gt; 1
    /// the same in 172.16.(p−1).0 on interfaces wan{k}p{p} and wan0p{p}. For 2 sites and 2 paths: a1 wan0 172.16.0.1 ↔
    /// b1 wan0 172.16.0.2 and a1 wan0p2 172.16.1.1 ↔ b1 wan0p2 172.16.1.2.
    /// </summary>
    public IReadOnlyList<LabWanLink> WanLinks =>
        Enumerable.Range(1, WanPaths).SelectMany(path => Sites.Skip(1).Select((site, k) => new LabWanLink(
            Sites[0].Hosts[0].Netns,
            WanInterface(k, path),
            WanAddress(path, 4 * k + 1),
            site.Hosts[0].Netns,
            WanInterface(0, path),
            WanAddress(path, 4 * k + 2))
        {
            Path = path,
        })).ToList();

    /// <summary>A host's addresses on the WAN (gateway hosts at the ends of WAN links), path 1's first; empty for other hosts.</summary>
    public IReadOnlyList<string> WanAddressesOf(LabHost host) =>
        WanLinks.Where(l => l.NetnsA == host.Netns).Select(l => l.AddressA)
            .Concat(WanLinks.Where(l => l.NetnsB == host.Netns).Select(l => l.AddressB))
            .ToList();

    /// <summary>A host's address on the WAN's first path, or null.</summary>
    public string? WanAddressOf(LabHost host) => WanAddressesOf(host).FirstOrDefault();

    private static string WanInterface(int k, int path) =>
        path == 1 ? $"wan{k.ToString(CultureInfo.InvariantCulture)}" : $"wan{k.ToString(CultureInfo.InvariantCulture)}p{path.ToString(CultureInfo.InvariantCulture)}";

    private static string WanAddress(int path, int host) =>
        $"172.16.{(path - 1).ToString(CultureInfo.InvariantCulture)}.{host.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The port a site's manager listens on: site a's is <see cref="ManagerPort"/>, the next site's the next one.</summary>
    public int ManagerPortOf(LabSite site) => ManagerPort + site.Index;

    /// <summary>The URL of a site's manager on the lab's management network, which that site's agents join.</summary>
    public string MgmtManagerUrl(LabSite site) => $"https://{site.ManagerAddress}:{ManagerPortOf(site).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The URL of a site's manager on this machine's loopback.</summary>
    public string LoopbackManagerUrl(LabSite site) => $"http://127.0.0.1:{ManagerPortOf(site).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The same sites, hosts, names, addresses and WAN paths (the manager's port and the WAN's rate may differ).</summary>
    public bool SameShapeAs(LabPlan other) =>
        WanPaths == other.WanPaths && System.Text.Json.JsonSerializer.Serialize(Sites, Vcm.Api.ApiJson.Options) == System.Text.Json.JsonSerializer.Serialize(other.Sites, Vcm.Api.ApiJson.Options);
}
