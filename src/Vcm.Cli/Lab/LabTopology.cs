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
    }

    /// <summary>Removes every namespace and link the plan names; absent ones are fine.</summary>
    public async Task DeleteAsync(LabPlan plan, CancellationToken cancellationToken)
    {
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

    public static async Task<IReadOnlyList<string>> NamespacesAsync(IProcessRunner runner, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(ProcessSpec.Of("ip", "netns", "list"), cancellationToken);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]).ToList();
    }

    /// <summary>Refuses a lab whose names or addresses are already taken on this machine.</summary>
    private async Task CheckFreeAsync(LabSite site, CancellationToken cancellationToken)
    {
        var namespaces = await NamespacesAsync(runner, cancellationToken);
        var taken = site.Hosts.Select(h => h.Netns).Append(site.SwitchNetns).Append(site.ExternalNetns).Where(namespaces.Contains).ToList();
        if (taken.Count > 0)
        {
            throw new DriverException($"the lab's namespaces {string.Join(", ", taken)} exist already; run `vcm down` first");
        }

        var routes = await runner.RunAsync(ProcessSpec.Of("ip", "-4", "route", "show"), cancellationToken);
        var mgmt = Vcm.Domain.Networking.Ipv4Subnet.Parse(site.MgmtSubnet);
        foreach (var line in routes.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var destination = line.Split(' ')[0];
            if (destination != "default" && Vcm.Domain.Networking.Ipv4Subnet.TryParse(destination.Contains('/', StringComparison.Ordinal) ? destination : destination + "/32", out var route, out _)
                && route!.Overlaps(mgmt))
            {
                throw new DriverException($"the lab's management network {site.MgmtSubnet} overlaps this host's route '{line.Trim()}'");
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
