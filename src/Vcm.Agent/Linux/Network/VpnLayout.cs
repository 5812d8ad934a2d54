using System.Security.Cryptography;
using System.Text;

namespace Vcm.Agent.Linux.Network;

/// <summary>
/// Where a VPN end's pieces are, all derived from its name: its tap ("vcv" + 8 hex digits of a hash of the name,
/// within Linux's 15 characters) and its files in <see cref="HostPaths.Vpn"/>.
/// </summary>
internal sealed record VpnLayout(string Name, string Directory)
{
    public const string AliasPrefix = "vcm-vpn:";

    public static VpnLayout Of(LinuxHostContext context, string name) => new(name, context.Paths.Vpn(name));

    public string Tap => TapName(Name);

    /// <summary>The tap's alias: marks it as vcm's and names the VPN it belongs to.</summary>
    public string TapAlias => AliasPrefix + Name;

    public string Config => Path.Combine(Directory, "openvpn.conf");

    public string CaCertificate => Path.Combine(Directory, "ca.crt");

    public string Certificate => Path.Combine(Directory, "end.crt");

    public string PrivateKey => Path.Combine(Directory, "end.key");

    public string TlsCryptKey => Path.Combine(Directory, "tls-crypt.key");

    /// <summary>A hash of the config and key files the running openvpn was started with.</summary>
    public string Applied => Path.Combine(Directory, "openvpn.applied");

    public string Pid => Path.Combine(Directory, "openvpn.pid");

    public string Log => Path.Combine(Directory, "openvpn.log");

    /// <summary>Text the command line of this end's openvpn holds (and no other's).</summary>
    public string Marker => "--config " + Config;

    public static string TapName(string vpn) => "vcv" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(vpn)))[..8];
}
