using Vcm.Agent.Linux.Network;
using Vcm.Drivers;
using Vcm.Drivers.Processes;

namespace Vcm.Cli.Lab;

/// <summary>
/// Builds and removes a lab's namespaces and links. Everything is named with the "vcl-"/"vclm-" prefixes and
/// listed in the lab's state, so removal takes exactly what was made and nothing else of the host's.
/// </summary>
public sealed class LabTopology(IProcessRunner runner)
{
    /// <summary>Underlay MTU: VXLAN adds 50 bytes, so the clusters' segments still carry 1500-byte frames.</summary>
    public const int UnderlayMtu = 1600;

    public async Task CreateAsync(LabPlan plan, CancellationToken cancellationToken)
    {
        foreach (var site in plan.Sites)
        {
            await CheckFreeAsync(site, cancellationToken);
            await NetnsAsync(site.SwitchNetns, cancellationToken);
            await IpAsync(site.SwitchNetns, cancellationToken, "link", "add", "brmgmt", "type", "bridge");
            await IpAsync(site.SwitchNetns, cancellationToken, "link", "set", "brmgmt", "up");

            // The manager's side: a link from the root namespace onto the management bridge.
            await IpAsync(null, cancellationToken, "link", "add", site.ManagerLink, "mtu", $"{UnderlayMtu}", "type", "veth", "peer", "name", "mgr", "netns", site.SwitchNetns);
            await IpAsync(site.SwitchNetns, cancellationToken, "link", "set", "mgr", "master", "brmgmt", "up");
            await IpAsync(null, cancellationToken, "addr", "add", $"{site.ManagerAddress}/{site.MgmtPrefix}", "dev", site.ManagerLink);
            await IpAsync(null, cancellationToken, "link", "set", site.ManagerLink, "up");

            // The external network: a namespace whose bridge holds the router address.
            await NetnsAsync(site.ExternalNetns, cancellationToken);
            await IpAsync(site.ExternalNetns, cancellationToken, "link", "add", "brext", "type", "bridge");
            await IpAsync(site.ExternalNetns, cancellationToken, "addr", "add", $"{site.ExternalRouter}/{site.ExternalSubnet.Split('/')[1]}", "dev", "brext");
            await IpAsync(site.ExternalNetns, cancellationToken, "link", "set", "brext", "up");

            foreach (var host in site.Hosts)
            {
                await NetnsAsync(host.Netns, cancellationToken);
                await IpAsync(site.SwitchNetns, cancellationToken, "link", "add", host.Name, "mtu", $"{UnderlayMtu}", "type", "veth", "peer", "name", "mgmt0", "netns", host.Netns);
                await IpAsync(site.SwitchNetns, cancellationToken, "link", "set", host.Name, "master", "brmgmt", "up");
                await IpAsync(host.Netns, cancellationToken, "addr", "add", $"{host.Address}/{site.MgmtPrefix}", "dev", "mgmt0");
                await IpAsync(host.Netns, cancellationToken, "link", "set", "mgmt0", "up");
                if (host.Roles.Contains("gateway"))
                {
                    // The gateway host's external bridge, joined to the external network's bridge.
                    await IpAsync(host.Netns, cancellationToken, "link", "add", LabSite.ExternalBridge, "type", "bridge");
                    await IpAsync(host.Netns, cancellationToken, "link", "set", LabSite.ExternalBridge, "up");
                    await IpAsync(host.Netns, cancellationToken, "link", "add", "vcextu", "type", "veth", "peer", "name", host.Name, "netns", site.ExternalNetns);
                    await IpAsync(host.Netns, cancellationToken, "link", "set", "vcextu", "master", LabSite.ExternalBridge, "up");
                    await IpAsync(site.ExternalNetns, cancellationToken, "link", "set", host.Name, "master", "brext", "up");
                }
            }
        }

        foreach (var link in plan.WanLinks)
        {
            await IpAsync(link.NetnsA, cancellationToken, "link", "add", link.InterfaceA, "mtu", $"{LabWanLink.Mtu}", "type", "veth", "peer", "name", link.InterfaceB, "netns", link.NetnsB);
            await IpAsync(link.NetnsA, cancellationToken, "addr", "add", $"{link.AddressA}/{LabWanLink.Prefix}", "dev", link.InterfaceA);
            await IpAsync(link.NetnsB, cancellationToken, "addr", "add", $"{link.AddressB}/{LabWanLink.Prefix}", "dev", link.InterfaceB);
            await IpAsync(link.NetnsA, cancellationToken, "link", "set", link.InterfaceA, "up");
            await IpAsync(link.NetnsB, cancellationToken, "link", "set", link.InterfaceB, "up");
        }

        await ShapeWanAsync(plan, cancellationToken);
    }

    /// <summary>
    /// Shapes both ends of every WAN link to the plan's rate with tc tbf (netem is not in every kernel), or takes
    /// the shaping off when the plan has no rate. Idempotent, so a resumed lab takes the rate of the new run.
    /// </summary>
    public async Task ShapeWanAsync(LabPlan plan, CancellationToken cancellationToken)
    {
        foreach (var (netns, device) in plan.WanLinks.SelectMany(l => new[] { (l.NetnsA, l.InterfaceA), (l.NetnsB, l.InterfaceB) }))
        {
            if (plan.WanRateMbit is { } rate)
            {
                (await runner.RunAsync(new ProcessSpec("ip", ["netns", "exec", netns, "tc", .. LabWanLink.TbfArguments(device, rate)]), cancellationToken)).EnsureSuccess();
            }
            else
            {
                // no root qdisc is the unshaped state already: a failure here means there was nothing to remove
                await runner.RunAsync(ProcessSpec.Of("ip", "netns", "exec", netns, "tc", "qdisc", "del", "dev", device, "root"), cancellationToken);
            }
        }
    }

    /// <summary>Removes every namespace and link the plan names; absent ones are fine.</summary>
    public async Task DeleteAsync(LabPlan plan, CancellationToken cancellationToken)
    {
        // deleting the namespaces takes the WAN veths too; deleting them first also covers a namespace kept alive by a stray process
        foreach (var link in plan.WanLinks)
        {
            await runner.RunAsync(ProcessSpec.Of("ip", "-n", link.NetnsA, "link", "del", link.InterfaceA), cancellationToken);
        }

        foreach (var site in plan.Sites)
        {
            foreach (var host in site.Hosts)
            {
                await DeleteNetnsAsync(host.Netns, cancellationToken);
            }

            await DeleteNetnsAsync(site.ExternalNetns, cancellationToken);
            await DeleteNetnsAsync(site.SwitchNetns, cancellationToken);
            await runner.RunAsync(ProcessSpec.Of("ip", "link", "del", site.ManagerLink), cancellationToken);
        }
    }

    /// <summary>Refuses a lab whose names or addresses are already taken on this machine.</summary>
    private async Task CheckFreeAsync(LabSite site, CancellationToken cancellationToken)
    {
        var namespaces = await IpQueries.NamespacesAsync(runner, cancellationToken);
        var taken = site.Hosts.Select(h => h.Netns).Append(site.SwitchNetns).Append(site.ExternalNetns).Where(namespaces.Contains).ToList();
        if (taken.Count > 0)
        {
            throw new DriverException($"the lab's namespaces {string.Join(", ", taken)} exist already; run `vcm down` first");
        }

        var mgmt = Vcm.Domain.Networking.Ipv4Subnet.Parse(site.MgmtSubnet);
        foreach (var destination in await IpQueries.RouteDestinationsAsync(runner, null, cancellationToken))
        {
            if (destination != "default" && Vcm.Domain.Networking.Ipv4Subnet.TryParse(destination.Contains('/', StringComparison.Ordinal) ? destination : destination + "/32", out var route, out _)
                && route!.Overlaps(mgmt))
            {
                throw new DriverException($"the lab's management network {site.MgmtSubnet} overlaps this host's route to {destination}");
            }
        }
    }

    private async Task NetnsAsync(string name, CancellationToken cancellationToken)
    {
        (await runner.RunAsync(ProcessSpec.Of("ip", "netns", "add", name), cancellationToken)).EnsureSuccess();
        await IpAsync(name, cancellationToken, "link", "set", "lo", "up");
    }

    private async Task DeleteNetnsAsync(string name, CancellationToken cancellationToken) =>
        await runner.RunAsync(ProcessSpec.Of("ip", "netns", "del", name), cancellationToken);

    private async Task IpAsync(string? netns, CancellationToken cancellationToken, params string[] args)
    {
        var full = netns is null ? args : ["-n", netns, .. args];
        (await runner.RunAsync(new ProcessSpec("ip", full), cancellationToken)).EnsureSuccess();
    }
}
