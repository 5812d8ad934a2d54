using System.Globalization;
using Microsoft.Extensions.Logging;
using Vcm.Drivers;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Network;

namespace Vcm.Agent.Linux.Network;

/// <summary>
/// One end of a cross-site migration's relay on a host (see <see cref="MigrationRelaySpec"/>): a network namespace
/// named after it, joined to the cluster's bridge by a veth (host end: the relay's name; inside: <see cref="RelayLayout.InnerLink"/>
/// with the end's ULA /64, no DAD) at the bridge's MTU, and a socat per channel inside it (<see cref="RelaySocats"/>).
/// A receiving end listens on [local]:port, takes connections from the remote address only (socat's range) and passes
/// each to the receiver VM's unix socket; a sending end listens on unix sockets in its folder and passes each
/// connection to [remote]:port.
/// </summary>
internal sealed class LinuxMigrationRelays(LinuxHostContext context, HostShell shell, ILogger logger)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private readonly RelaySocats _socats = new(context, logger);

    public async Task<Ensured<IncomingVm>> EnsureAsync(MigrationRelaySpec spec, CancellationToken cancellationToken)
    {
        var layout = RelayLayout.Of(context, spec.Name);
        var plan = RelayPlan.Of(spec, layout, context.HostName);
        var links = await shell.HostLinksAsync(cancellationToken);
        HostBridges.Require(links, spec.Bridge, $"the cluster bridge of migration relay end {spec.Name}");
        var namespaces = await shell.NamespacesAsync(cancellationToken);

        var existed = Directory.Exists(layout.Directory) || namespaces.Contains(spec.Name) || links.ContainsKey(spec.Name);
        Directory.CreateDirectory(layout.Directory, OwnerOnly);
        var changed = await EnsureNamespaceAsync(spec.Name, namespaces, cancellationToken);
        changed |= await EnsureVethAsync(spec, plan, links, cancellationToken);
        foreach (var channel in plan.Channels)
        {
            changed |= await _socats.EnsureAsync(layout, channel.Name, channel.Addresses, channel.Ready, channel.Listening, cancellationToken);
        }

        var outcome = !existed ? EnsureOutcome.Created : changed ? EnsureOutcome.Updated : EnsureOutcome.Unchanged;
        return new Ensured<IncomingVm>(outcome, plan.Answer);
    }

    /// <summary>Stops the socats, deletes the veth, the namespace (and anything left running in it) and the folder.</summary>
    public async Task<DeleteOutcome> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        RelayPlan.CheckName(name);
        var layout = RelayLayout.Of(context, name);
        var existed = Directory.Exists(layout.Directory);
        existed |= await _socats.StopAsync(layout, cancellationToken);

        // the host end of the veth takes the end inside with it; a socat's forked children serving connections are the relay's too
        existed |= await shell.DeleteHostLinkAsync(name, cancellationToken);
        existed |= await shell.DeleteNamespaceAsync(name, StopGrace, cancellationToken);

        if (Directory.Exists(layout.Directory))
        {
            Directory.Delete(layout.Directory, recursive: true);
        }

        return existed ? DeleteOutcome.Deleted : DeleteOutcome.Absent;
    }

    /// <summary>
    /// vcm's relay ends on this host: those with a folder here, and those whose veth ("vcmr…") is in this host's
    /// namespace (a namespace alone says nothing: namespaces are machine-wide, hosts may not be).
    /// </summary>
    public IReadOnlyList<string> List(IEnumerable<LinkInfo> hostLinks)
    {
        var names = new SortedSet<string>(
            hostLinks.Where(l => l.IsVeth && l.Name.StartsWith(RelayLayout.Prefix, StringComparison.Ordinal)).Select(l => l.Name),
            StringComparer.Ordinal);
        if (Directory.Exists(context.Paths.Relays))
        {
            foreach (var folder in Directory.EnumerateDirectories(context.Paths.Relays))
            {
                var name = Path.GetFileName(folder);
                if (name.StartsWith(RelayLayout.Prefix, StringComparison.Ordinal))
                {
                    names.Add(name);
                }
            }
        }

        return names.ToList();
    }

    private async Task<bool> EnsureNamespaceAsync(string name, IReadOnlySet<string> namespaces, CancellationToken cancellationToken)
    {
        var changed = false;
        if (!namespaces.Contains(name))
        {
            await shell.NetnsAsync(["add", name], cancellationToken);
            changed = true;
        }

        if (await shell.LinkAsync(name, "lo", cancellationToken) is not { Up: true })
        {
            await shell.IpInAsync(name, ["link", "set", "lo", "up"], cancellationToken);
            changed = true;
        }

        return changed;
    }

    private async Task<bool> EnsureVethAsync(MigrationRelaySpec spec, RelayPlan plan, IReadOnlyDictionary<string, LinkInfo> links, CancellationToken cancellationToken)
    {
        var (netns, inner) = (spec.Name, RelayLayout.InnerLink);
        var changed = false;
        var mtu = links[spec.Bridge].Mtu;
        links.TryGetValue(spec.Name, out var hostEnd);
        var innerEnd = await shell.LinkAsync(netns, inner, cancellationToken);
        if (hostEnd is not { IsVeth: true } || innerEnd is not { IsVeth: true })
        {
            // one end missing or something else in the way: the pair afresh
            if (hostEnd is not null)
            {
                await shell.IpAsync(["link", "del", spec.Name], cancellationToken);
            }

            if (await shell.LinkAsync(netns, inner, cancellationToken) is not null)
            {
                await shell.IpInAsync(netns, ["link", "del", inner], cancellationToken);
            }

            await shell.IpAsync(["link", "add", spec.Name, "type", "veth", "peer", "name", inner, "netns", netns], cancellationToken);
            await shell.IpAsync(["link", "set", spec.Name, "addrgenmode", "none"], cancellationToken);
            (hostEnd, innerEnd, changed) = (null, null, true);
        }

        if (hostEnd is null || hostEnd.Mtu != mtu || hostEnd.Master != spec.Bridge || !hostEnd.Up)
        {
            await shell.IpAsync(["link", "set", spec.Name, "mtu", Text(mtu), "master", spec.Bridge, "up"], cancellationToken);
            changed = true;
        }

        if (innerEnd is null || innerEnd.Mtu != mtu || !innerEnd.Up)
        {
            // the tenant's segment may carry router advertisements: the end keeps its one address and no routes but its /64
            await shell.ExecInAsync(netns, "sysctl", ["-qw", $"net.ipv6.conf.{inner}.accept_ra=0"], cancellationToken);
            await shell.IpInAsync(netns, ["link", "set", inner, "mtu", Text(mtu), "up"], cancellationToken);
            changed = true;
        }

        var wanted = plan.Local + "/64";
        var addresses = LinkAddress.ParseIpv6((await shell.IpInAsync(netns, ["-j", "addr", "show", "dev", inner], cancellationToken)).StandardOutput);
        foreach (var stale in addresses.Where(a => a != wanted))
        {
            await shell.IpInAsync(netns, ["addr", "del", stale, "dev", inner], cancellationToken);
            changed = true;
        }

        if (!addresses.Contains(wanted))
        {
            // no duplicate address detection: the address is the migration's own, and socat binds it at once
            await shell.IpInAsync(netns, ["addr", "add", wanted, "dev", inner, "nodad"], cancellationToken);
            changed = true;
        }

        return changed;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
