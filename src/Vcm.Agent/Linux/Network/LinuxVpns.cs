using Microsoft.Extensions.Logging;
using Vcm.Drivers;
using Vcm.Drivers.Network;

namespace Vcm.Agent.Linux.Network;

/// <summary>
/// One end of a cluster's cross-site VPN on a host: a persistent tap on the cluster's bridge (<see cref="VpnTap"/>),
/// and an openvpn that carries its frames to the other site's end (<see cref="VpnDaemon"/>, <see cref="OpenVpnConfig"/>),
/// with its config and keys in <see cref="HostPaths.Vpn"/>. An end of several WAN paths has a tap and an openvpn per
/// path, all kept up, and the agent's path selector (<see cref="VpnPaths"/>) bridges one of the taps at a time.
/// </summary>
internal sealed class LinuxVpns(LinuxHostContext context, HostShell shell, ILogger logger)
{
    /// <summary>A Unix socket's path is at most 107 bytes; openvpn's management sockets stay well within.</summary>
    private const int MaxSocketPath = 100;

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly VpnTap _tap = new(shell);
    private readonly VpnDaemon _daemon = new(context, logger);

    public async Task<EnsureOutcome> EnsureAsync(VpnSpec spec, CancellationToken cancellationToken)
    {
        var layout = VpnLayout.Of(context, spec.Name);
        Check(spec, layout);
        var links = await shell.HostLinksAsync(cancellationToken);
        HostBridges.Require(links, spec.Bridge, $"the cluster bridge of VPN end {spec.Name}");

        var existed = Directory.Exists(layout.Directory) || links.ContainsKey(layout.Tap);
        Directory.CreateDirectory(layout.Directory, OwnerOnly);

        // paths the spec no longer has go first: their taps leave the bridge before path 1's may join it
        var changed = await RemovePathsAsync(layout, spec.Paths.Count + 1, links, cancellationToken);
        var several = spec.Paths.Count > 1;
        changed |= several
            ? await FileText.WriteIfChangedAsync(layout.PathsFile, VpnPaths.Describe(spec), cancellationToken)
            : FileText.DeleteIfExists(layout.PathsFile);
        for (var number = 1; number <= spec.Paths.Count; number++)
        {
            var path = layout.ForPath(number);
            var config = OpenVpnConfig.Of(spec, path, spec.Mtu);
            foreach (var (file, text) in Files(spec, path, config))
            {
                changed |= await FileText.WriteIfChangedAsync(file, text, cancellationToken);
            }

            changed |= await _tap.EnsureAsync(spec, path, links, bridged: !several, cancellationToken);
            var files = FileText.Sha256(string.Concat(Files(spec, path, config).Select(f => f.Path + "\n" + f.Text + "\n")));
            changed |= await _daemon.EnsureAsync(spec, path, spec.Paths[number - 1].Local, files, cancellationToken);
        }

        return !existed ? EnsureOutcome.Created : changed ? EnsureOutcome.Updated : EnsureOutcome.Unchanged;
    }

    /// <summary>Stops the openvpn of each path from <paramref name="first"/> on, deletes its tap and files; true if there was any.</summary>
    private async Task<bool> RemovePathsAsync(VpnLayout layout, int first, IReadOnlyDictionary<string, LinkInfo> links, CancellationToken cancellationToken)
    {
        var removed = false;
        for (var number = first; number <= VpnLayout.MaxPaths; number++)
        {
            var path = layout.ForPath(number);
            removed |= await _daemon.StopAsync(path, cancellationToken);
            if (links.ContainsKey(path.Tap))
            {
                await shell.IpAsync(["link", "del", path.Tap], cancellationToken);
                removed = true;
            }

            foreach (var file in new[] { path.Config, path.Applied, path.Pid, path.Log, path.ManagementSocket })
            {
                removed |= FileText.DeleteIfExists(file);
            }
        }

        return removed;
    }

    /// <summary>Stops openvpn (if it still runs), deletes the tap and the folder; Absent when none of them was there.</summary>
    public async Task<DeleteOutcome> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        NetworkNames.CheckVpn(name);
        var layout = VpnLayout.Of(context, name);
        var existed = Directory.Exists(layout.Directory);
        for (var number = 1; number <= VpnLayout.MaxPaths; number++)
        {
            existed |= await _daemon.StopAsync(layout.ForPath(number), cancellationToken);
        }

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
            var end = VpnLayout.Of(context, Path.GetFileName(folder));
            for (var number = 1; number <= VpnLayout.MaxPaths; number++)
            {
                var layout = end.ForPath(number);
                try
                {
                    if (File.Exists(layout.Applied) && File.Exists(layout.Config) && await _daemon.ReviveAsync(layout, cancellationToken))
                    {
                        revived.Add(number == 1 ? layout.Name : $"{layout.Name} (WAN path {number})");
                    }
                }
                catch (DriverException e)
                {
                    failed.Add($"{layout.Name}: {e.Message}");
                }
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

    private static void Check(VpnSpec spec, VpnLayout layout)
    {
        NetworkNames.CheckVpn(spec.Name);
        NetworkNames.CheckLink(spec.Bridge, "bridge");
        if (spec.Paths.Count > VpnLayout.MaxPaths)
        {
            throw new DriverException($"VPN end {spec.Name} has {spec.Paths.Count} WAN paths; at most {VpnLayout.MaxPaths}", terminal: true);
        }

        foreach (var (path, number) in spec.Paths.Select((p, i) => (p, i + 1)))
        {
            var which = number == 1 ? "" : $" on WAN path {number}";
            NetworkNames.Ipv4(path.Local, $"local WAN address of VPN end {spec.Name}{which}");
            NetworkNames.Ipv4(path.Remote, $"remote WAN address of VPN end {spec.Name}{which}");
            if (path.Local == path.Remote)
            {
                throw new DriverException($"VPN end {spec.Name} has the same local and remote address {path.Local}{which}", terminal: true);
            }
        }

        if (spec.Paths.Count > 1 && Path.Combine(layout.Directory, "management-8.sock").Length > MaxSocketPath)
        {
            throw new DriverException($"the folder of VPN end {spec.Name}, {layout.Directory}, is too long for openvpn's management sockets (at most {MaxSocketPath} characters)", terminal: true);
        }

        if (spec.Paths.Select(p => p.Local).Distinct(StringComparer.Ordinal).Count() != spec.Paths.Count)
        {
            throw new DriverException($"VPN end {spec.Name}'s WAN paths must each have a local address of their own", terminal: true);
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
