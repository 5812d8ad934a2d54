using System.Globalization;

namespace Vcm.Cli.Lab;

/// <summary>
/// The shape of a lab: `--lab 1x3` is one site "a" with hosts a1..a3; `--lab 2x2` sites "a" and "b" with a1, a2,
/// b1, b2. The first host of each site is also its gateway and storage host. Addresses: management
/// 192.168.(254−site).0/24 (manager .1, hosts .11 up), external 172.31.(254−site).0/24 (router .1).
/// </summary>
public sealed record LabPlan(IReadOnlyList<LabSite> Sites, int ManagerPort)
{
    public const int AgentPort = 9700;

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

    /// <summary>The same sites, hosts, names and addresses (the manager's port may differ).</summary>
    public bool SameShapeAs(LabPlan other) =>
        System.Text.Json.JsonSerializer.Serialize(Sites, Vcm.Api.ApiJson.Options) == System.Text.Json.JsonSerializer.Serialize(other.Sites, Vcm.Api.ApiJson.Options);
}
