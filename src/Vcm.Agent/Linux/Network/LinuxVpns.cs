using Microsoft.Extensions.Logging;
using Vcm.Drivers;
using Vcm.Drivers.Network;

namespace Vcm.Agent.Linux.Network;

/// <summary>
/// One end of a cluster's cross-site VPN on a host: a persistent tap on the cluster's bridge (<see cref="VpnTap"/>),
/// and an openvpn that carries its frames to the other site's end (<see cref="VpnDaemon"/>, <see cref="OpenVpnConfig"/>),
/// with its config and keys in <see cref="HostPaths.Vpn"/>.
/// </summary>
internal sealed class LinuxVpns(LinuxHostContext context, HostShell shell, ILogger logger)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly VpnTap _tap = new(shell);
    private readonly VpnDaemon _daemon = new(context, logger);

    public async Task<EnsureOutcome> EnsureAsync(VpnSpec spec, CancellationToken cancellationToken)
    {
        Check(spec);
        var layout = VpnLayout.Of(context, spec.Name);
        var links = await shell.HostLinksAsync(cancellationToken);
        HostBridges.Require(links, spec.Bridge, $"the cluster bridge of VPN end {spec.Name}");

        var existed = Directory.Exists(layout.Directory) || links.ContainsKey(layout.Tap);
        Directory.CreateDirectory(layout.Directory, OwnerOnly);
        var config = OpenVpnConfig.Of(spec, layout, spec.Mtu);
        var changed = false;
        foreach (var (path, text) in Files(spec, layout, config))
        {
            changed |= await FileText.WriteIfChangedAsync(path, text, cancellationToken);
        }

        changed |= await _tap.EnsureAsync(spec, layout, links, cancellationToken);
        var files = FileText.Sha256(string.Concat(Files(spec, layout, config).Select(f => f.Path + "\n" + f.Text + "\n")));
        changed |= await _daemon.EnsureAsync(spec, layout, files, cancellationToken);
        return !existed ? EnsureOutcome.Created : changed ? EnsureOutcome.Updated : EnsureOutcome.Unchanged;
    }

    /// <summary>Stops openvpn (if it still runs), deletes the tap and the folder; Absent when none of them was there.</summary>
    public async Task<DeleteOutcome> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        NetworkNames.CheckVpn(name);
        var layout = VpnLayout.Of(context, name);
        var existed = Directory.Exists(layout.Directory);
        existed |= await _daemon.StopAsync(layout, cancellationToken);
        existed |= await _tap.DeleteAsync(layout, await shell.LinksAsync(shell.HostNetns, cancellationToken), cancellationToken);
        if (Directory.Exists(layout.Directory))
        {
            Directory.Delete(layout.Directory, recursive: true);
        }

        return existed ? DeleteOutcome.Deleted : DeleteOutcome.Absent;
    }

    /// <summary>
    /// Restarts the openvpn of every end whose last ensure completed (its applied file is there) and whose process is
    /// gone; answers those ends.
    /// </summary>
    public async Task<IReadOnlyList<string>> ReviveAsync(CancellationToken cancellationToken)
    {
        var revived = new List<string>();
        var failed = new List<string>();
        if (!Directory.Exists(context.Paths.Vpns))
        {
            return revived;
        }

        foreach (var folder in Directory.EnumerateDirectories(context.Paths.Vpns).Order(StringComparer.Ordinal))
        {
            var layout = VpnLayout.Of(context, Path.GetFileName(folder));
            try
            {
                if (File.Exists(layout.Applied) && File.Exists(layout.Config) && await _daemon.ReviveAsync(layout, cancellationToken))
                {
                    revived.Add(layout.Name);
                }
            }
            catch (DriverException e)
            {
                failed.Add($"{layout.Name}: {e.Message}");
            }
        }

        // One end that cannot start must not keep the others down: they were started first.
        return failed.Count == 0 ? revived : throw new DriverException("could not restart openvpn of VPN ends " + string.Join("; ", failed));
    }

    /// <summary>vcm's VPN ends on this host: those with a folder here, and those whose tap's alias names them.</summary>
    public IReadOnlyList<string> List(IEnumerable<LinkInfo> hostLinks)
    {
        var names = new SortedSet<string>(VpnTap.Ends(hostLinks), StringComparer.Ordinal);
        if (Directory.Exists(context.Paths.Vpns))
        {
            foreach (var folder in Directory.EnumerateDirectories(context.Paths.Vpns))
            {
                names.Add(Path.GetFileName(folder));
            }
        }

        return names.Where(n => n.StartsWith("vc", StringComparison.Ordinal)).ToList();
    }

    /// <summary>The files openvpn reads: the keys, then the config that names them.</summary>
    private static IEnumerable<(string Path, string Text)> Files(VpnSpec spec, VpnLayout layout, string config) =>
    [
        (layout.CaCertificate, spec.CaCertificate),
        (layout.Certificate, spec.Certificate),
        (layout.PrivateKey, spec.PrivateKey),
        (layout.TlsCryptKey, spec.TlsCryptKey),
        (layout.Config, config),
    ];

    private static void Check(VpnSpec spec)
    {
        NetworkNames.CheckVpn(spec.Name);
        NetworkNames.CheckLink(spec.Bridge, "bridge");
        NetworkNames.Ipv4(spec.Local, $"local WAN address of VPN end {spec.Name}");
        NetworkNames.Ipv4(spec.Remote, $"remote WAN address of VPN end {spec.Name}");
        if (spec.Local == spec.Remote)
        {
            throw new DriverException($"VPN end {spec.Name} has the same local and remote address {spec.Local}", terminal: true);
        }

        if (spec.Port is < 1 or > 65535)
        {
            throw new DriverException($"VPN port {spec.Port} is outside 1..65535", terminal: true);
        }

        if (spec.Mtu is < 576 or > 9000)
        {
            throw new DriverException($"VPN MTU {spec.Mtu} is outside 576..9000", terminal: true);
        }

        if (spec.RateMbit is < 1 or > 100_000)
        {
            throw new DriverException($"VPN rate {spec.RateMbit} Mbit/s is outside 1..100000", terminal: true);
        }

        Pem(spec.CaCertificate, "CERTIFICATE", "CA certificate", spec.Name);
        Pem(spec.Certificate, "CERTIFICATE", "certificate", spec.Name);
        Pem(spec.PrivateKey, "PRIVATE KEY", "private key", spec.Name);
        Pem(spec.TlsCryptKey, "OpenVPN Static key V1", "tls-crypt key", spec.Name);
    }

    private static void Pem(string text, string label, string what, string vpn)
    {
        // "PRIVATE KEY" also matches "EC PRIVATE KEY" and "RSA PRIVATE KEY", which openvpn reads as well.
        if (!text.Contains("-----BEGIN ", StringComparison.Ordinal) || !text.Contains(label + "-----", StringComparison.Ordinal) || !text.Contains("-----END ", StringComparison.Ordinal))
        {
            throw new DriverException($"the {what} of VPN end {vpn} is not PEM text ({label})", terminal: true);
        }
    }
}
