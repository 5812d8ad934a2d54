using System.Globalization;
using Microsoft.Extensions.Logging;
using Vcm.Drivers;
using Vcm.Drivers.Network;
using Vcm.Drivers.Processes;

using Vcm.Agent.Metadata;

namespace Vcm.Agent.Linux.Network;

/// <summary>
/// A cluster's gateway on a host: its own network namespace (named after the gateway) on the cluster's bridge and,
/// optionally, the site's external bridge; vcm's nftables table inside it; dnsmasq and the metadata service as
/// daemons inside it; its files in <see cref="HostPaths.Gateway"/>.
/// </summary>
internal sealed class LinuxGateways
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private readonly LinuxHostContext _context;
    private readonly HostShell _shell;
    private readonly GatewayNetwork _network;
    private readonly GatewayFirewall _firewall;
    private readonly GatewayDaemons _daemons;

    public LinuxGateways(LinuxHostContext context, HostShell shell, ILogger logger)
    {
        _context = context;
        _shell = shell;
        _network = new GatewayNetwork(shell);
        _firewall = new GatewayFirewall(shell);
        _daemons = new GatewayDaemons(context, shell, logger);
    }

    public async Task<EnsureOutcome> EnsureAsync(GatewaySpec spec, CancellationToken cancellationToken)
    {
        var addresses = Check(spec);
        var layout = GatewayLayout.Of(_context, spec.Name);
        var hostLinks = await _shell.HostLinksAsync(cancellationToken);
        HostBridges.Require(hostLinks, spec.Bridge, $"the cluster bridge of gateway {spec.Name}");
        if (spec.External is { } external)
        {
            HostBridges.Require(hostLinks, external.Bridge, $"the external bridge of gateway {spec.Name}");
        }

        var existed = Directory.Exists(layout.Directory) || (await _shell.NamespacesAsync(cancellationToken)).Contains(spec.Name);
        Directory.CreateDirectory(layout.Directory, OwnerOnly);
        Directory.CreateDirectory(GatewayFiles.ReportsDirectory(layout.Directory), OwnerOnly);

        var (changed, mtu) = await _network.EnsureAsync(spec, layout, addresses, hostLinks, cancellationToken);
        changed |= await _firewall.EnsureAsync(spec, layout, addresses, cancellationToken);
        changed |= await GatewayFiles.WriteNodesAsync(layout.Directory, spec, cancellationToken);
        changed |= await GatewayFiles.WriteSetupAsync(layout.Directory, spec, cancellationToken);
        changed |= await FileText.WriteIfChangedAsync(layout.DhcpHosts, DnsmasqConfig.DhcpHosts(spec), cancellationToken);
        changed |= await FileText.WriteIfChangedAsync(layout.Hosts, DnsmasqConfig.Hosts(spec), cancellationToken);
        changed |= await FileText.WriteIfChangedAsync(layout.DnsmasqConf, DnsmasqConfig.Config(spec, layout, addresses, mtu), cancellationToken);
        changed |= await _daemons.EnsureDnsmasqAsync(layout, addresses.Address, cancellationToken);
        changed |= await _daemons.EnsureMetadataAsync(layout, addresses.Address, cancellationToken);
        return !existed ? EnsureOutcome.Created : changed ? EnsureOutcome.Updated : EnsureOutcome.Unchanged;
    }

    public async Task<DeleteOutcome> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        NetworkNames.CheckGateway(name);
        var layout = GatewayLayout.Of(_context, name);
        var existed = Directory.Exists(layout.Directory);
        existed |= await _daemons.StopAsync(layout, cancellationToken);

        // Deleting the host-side end of a veth deletes its end inside the namespace too, at once.
        existed |= await _shell.DeleteHostLinkAsync(layout.HostLink, cancellationToken);
        existed |= await _shell.DeleteHostLinkAsync(layout.ExternalHostLink, cancellationToken);

        // Anything still running in the gateway's own namespace is the gateway's (a daemon's child, a lost PID file).
        existed |= await _shell.DeleteNamespaceAsync(name, StopGrace, cancellationToken);

        if (Directory.Exists(layout.Directory))
        {
            Directory.Delete(layout.Directory, recursive: true);
        }

        return existed ? DeleteOutcome.Deleted : DeleteOutcome.Absent;
    }

    /// <summary>
    /// vcm's gateways on this host: those with a folder here, and those whose namespace ("vc…") is joined to this
    /// host by their host-side veth (a namespace alone says nothing: namespaces are machine-wide, hosts may not be).
    /// </summary>
    public async Task<IReadOnlyList<string>> ListAsync(IReadOnlyCollection<LinkInfo> hostLinks, CancellationToken cancellationToken)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        if (Directory.Exists(_context.Paths.Gateways))
        {
            foreach (var folder in Directory.EnumerateDirectories(_context.Paths.Gateways))
            {
                var name = Path.GetFileName(folder);
                if (name.StartsWith("vc", StringComparison.Ordinal))
                {
                    names.Add(name);
                }
            }
        }

        var linkNames = hostLinks.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var netns in await _shell.NamespacesAsync(cancellationToken))
        {
            if (netns.StartsWith("vc", StringComparison.Ordinal) && linkNames.Contains(GatewayLayout.HostLinkName(netns)))
            {
                names.Add(netns);
            }
        }

        return names.ToList();
    }

    public Task<IReadOnlyList<NodeReport>> ReportsAsync(string name, CancellationToken cancellationToken)
    {
        NetworkNames.CheckGateway(name);
        var directory = GatewayLayout.Of(_context, name).Directory;
        return Directory.Exists(directory) ? GatewayFiles.ReadReportsAsync(directory, cancellationToken) : Task.FromResult<IReadOnlyList<NodeReport>>([]);
    }

    private static GatewayAddresses Check(GatewaySpec spec)
    {
        NetworkNames.CheckGateway(spec.Name);
        NetworkNames.CheckLink(spec.Bridge, "bridge");
        NetworkNames.CheckDomain(spec.Domain);
        if (spec.External is { } external)
        {
            NetworkNames.CheckLink(external.Bridge, "external bridge");
        }

        foreach (var node in spec.Nodes)
        {
            NetworkNames.CheckHostName(node.Name, "node name");
            NetworkNames.CheckMac(node.Mac, $"node {node.Name}'s MAC");
            if (node.SshPort is < 0 or > 65535)
            {
                throw new DriverException($"node {node.Name}'s SSH port {node.SshPort} is outside 0..65535", terminal: true);
            }
        }

        Duplicates(spec.Nodes.Select(n => n.Name), "node name");
        Duplicates(spec.Nodes.Select(n => n.Mac.ToLowerInvariant()), "MAC");
        Duplicates(spec.Nodes.Select(n => n.Ip), "node address");
        Duplicates(spec.Nodes.Where(n => n.SshPort > 0).Select(n => n.SshPort.ToString(CultureInfo.InvariantCulture)), "SSH port");
        if (spec.Mtu is < 576 or > 9000)
        {
            throw new DriverException($"gateway MTU {spec.Mtu} is outside 576..9000", terminal: true);
        }

        return GatewayAddresses.Of(spec);
    }

    private static void Duplicates(IEnumerable<string> values, string what)
    {
        if (values.GroupBy(v => v, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new DriverException($"{what} {twice.Key} appears twice in the gateway's nodes", terminal: true);
        }
    }
}
