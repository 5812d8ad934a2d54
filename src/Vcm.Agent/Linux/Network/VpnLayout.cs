using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Vcm.Agent.Linux.Network;

/// <summary>
/// Where a VPN end's pieces are, all derived from its name and the WAN path: its tap ("vcv" + 8 hex digits of a hash
/// of the name, within Linux's 15 characters; path p &gt; 1 hashes "NAME/p") and its files in <see cref="HostPaths.Vpn"/>
/// (path 1's openvpn.conf, .pid, .log, .applied as with one path; path p's openvpn-p.*). The keys are shared by the paths.
/// </summary>
internal sealed record VpnLayout(string Name, string Directory, int Path = 1)
{
    public const string AliasPrefix = "vcm-vpn:";

    /// <summary>The most WAN paths one end has.</summary>
    public const int MaxPaths = 8;

    public static VpnLayout Of(LinuxHostContext context, string name) => new(name, context.Paths.Vpn(name));

    /// <summary>The same end on another WAN path.</summary>
    public VpnLayout ForPath(int path) => this with { Path = path };

    public string Tap => Path == 1 ? TapName(Name) : TapName(Name + "/" + Path.ToString(CultureInfo.InvariantCulture));

    /// <summary>Every path's tap carries the end's alias: marks it as vcm's and names the VPN it belongs to.</summary>
    public string TapAlias => AliasPrefix + Name;

    public string Config => File("openvpn", ".conf");

    public string CaCertificate => System.IO.Path.Combine(Directory, "ca.crt");

    public string Certificate => System.IO.Path.Combine(Directory, "end.crt");

    public string PrivateKey => System.IO.Path.Combine(Directory, "end.key");

    public string TlsCryptKey => System.IO.Path.Combine(Directory, "tls-crypt.key");

    /// <summary>A hash of the config and key files the running openvpn was started with.</summary>
    public string Applied => File("openvpn", ".applied");

    public string Pid => File("openvpn", ".pid");

    public string Log => File("openvpn", ".log");

    /// <summary>The Unix socket of this path's openvpn management interface (an end of several paths only).</summary>
    public string ManagementSocket => File("management", ".sock");

    /// <summary>
    /// An end of several paths: one line per path, "PATH LOCAL REMOTE", and a first line "bridge BRIDGE". The agent's
    /// path selector reads it; absent for an end of one path.
    /// </summary>
    public string PathsFile => System.IO.Path.Combine(Directory, "paths");

    /// <summary>Text the command line of this path's openvpn holds (and no other's).</summary>
    public string Marker => "--config " + Config;

    public static string TapName(string vpn) => "vcv" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(vpn)))[..8];

    private string File(string stem, string extension) =>
        System.IO.Path.Combine(Directory, Path == 1 ? stem + extension : $"{stem}-{Path.ToString(CultureInfo.InvariantCulture)}{extension}");
}
