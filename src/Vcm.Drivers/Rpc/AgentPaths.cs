namespace Vcm.Drivers.Rpc;

/// <summary>The agent's RPC routes.</summary>
public static class AgentPaths
{
    public const string Apply = "/agent/v1/apply";
    public const string Hosts = "/agent/v1/hosts";

    /// <summary>POST a list of host names; answers each host's VMs.</summary>
    public const string Vms = "/agent/v1/vms";

    public static string Inventory(string host) => $"/agent/v1/hosts/{Uri.EscapeDataString(host)}/inventory";

    /// <summary>GET: the phone-home reports a gateway on the host has received.</summary>
    public static string Reports(string host, string gateway) =>
        $"/agent/v1/hosts/{Uri.EscapeDataString(host)}/gateways/{Uri.EscapeDataString(gateway)}/reports";

    /// <summary>GET: the tail of a VM's serial console (text/plain).</summary>
    public static string Console(string host, string vm, int bytes) =>
        $"/agent/v1/hosts/{Uri.EscapeDataString(host)}/vms/{Uri.EscapeDataString(vm)}/console?bytes={bytes}";

    /// <summary>GET with a Range: bytes of a file of an image the host holds or is copying (read with <see cref="ImageReadToken"/>).</summary>
    public static string ImageFile(string host, string image, string file) =>
        $"/agent/v1/hosts/{Uri.EscapeDataString(host)}/images/{Uri.EscapeDataString(image)}/files/{Uri.EscapeDataString(file)}";

    public const string Join = "/api/v1/agents/join";
    public const string Heartbeat = "/api/v1/agents/heartbeat";

    /// <summary>GET: the site's CA certificate (checked by the agent against its join token's fingerprint).</summary>
    public const string SiteCa = "/api/v1/site/ca";
}
