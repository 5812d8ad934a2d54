namespace Vcm.Cli.Lab;

/// <summary>
/// One lab site: a management network (a bridge in a "switch" namespace; the manager's address is on a link from
/// the root namespace), its hosts, and its external network (a namespace with a bridge and the router address) that
/// the gateway hosts' external bridge ("vcext") is joined to. Nothing a lab guest sends leaves these namespaces.
/// </summary>
public sealed record LabSite(
    string Name,
    int Index,
    string MgmtSubnet,
    string ManagerAddress,
    IReadOnlyList<LabHost> Hosts,
    string ExternalSubnet,
    string ExternalRouter)
{
    public const string ExternalBridge = "vcext";

    public string SwitchNetns => $"vcl-{Name}-sw";

    public string ExternalNetns => $"vcl-{Name}-ext";

    /// <summary>The root namespace's link onto the management network (the manager's side).</summary>
    public string ManagerLink => $"vclm-{Name}";

    public int MgmtPrefix => int.Parse(MgmtSubnet.Split('/')[1], System.Globalization.CultureInfo.InvariantCulture);
}
