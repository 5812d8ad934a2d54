using System.Globalization;
using Vcm.Drivers.Processes;
using Vcm.Manager.Hosting;

namespace Vcm.Cli.Lab;

/// <summary>
/// Runs a lab: builds its topology, starts one `vcm agent` per host inside the host's namespace (joined to the
/// manager over the management network with a join token), and takes it all down again.
/// </summary>
public sealed class LabRunner(IProcessRunner runner, string vcm)
{
    /// <summary>What each lab host tells the scheduler it has: this one machine's cores are shared by all of them.</summary>
    public const string HostCpus = "8";
    public const string HostMemory = "8G";

    public static ExternalNetworkOptions External(LabSite site) =>
        new(site.ExternalSubnet, site.ExternalRouter, LabSite.ExternalBridge, site.ExternalNetns);

    public async Task<LabState> StartAsync(LabPlan plan, string dataDirectory, CancellationToken cancellationToken)
    {
        var state = new LabState(plan, dataDirectory, new Dictionary<string, int>());
        state.Save();
        await new LabTopology(runner).CreateAsync(plan, cancellationToken);
        return state;
    }

    /// <summary>True when every namespace of the lab still exists.</summary>
    public async Task<bool> IsIntactAsync(LabState state, CancellationToken cancellationToken)
    {
        var namespaces = await LabTopology.NamespacesAsync(runner, cancellationToken);
        return state.Plan.Sites.All(s => namespaces.Contains(s.SwitchNetns) && namespaces.Contains(s.ExternalNetns) && s.Hosts.All(h => namespaces.Contains(h.Netns)));
    }

    /// <summary>Starts the agent of every host of a site (those not running already), joined to its manager.</summary>
    public async Task<LabState> StartAgentsAsync(LabState state, LabSite site, string joinToken, CancellationToken cancellationToken)
    {
        var pids = new Dictionary<string, int>(state.AgentPids);
        foreach (var host in site.Hosts)
        {
            var data = state.HostData(host.Name);
            Directory.CreateDirectory(data);
            var manager = state.Plan.MgmtManagerUrl(site);
            List<string> args =
            [
                "agent", "--join", manager, "--token", joinToken, "--host-name", host.Name, "--address", host.Address,
                "--listen", host.AgentUrl, "--roles", string.Join(',', host.Roles), "--data", data, "--image-store", manager,
                "--underlay-mtu", LabTopology.UnderlayMtu.ToString(CultureInfo.InvariantCulture),
                "--cpus", HostCpus, "--memory", HostMemory,
            ];
            if (state.Plan.WanAddressOf(host) is { } wan)
            {
                args.AddRange(["--wan-address", wan]);
            }

            var daemon = new DaemonSpec(
                vcm,
                args,
                Path.Combine(data, "agent.pid"),
                Path.Combine(data, "agent.log"),
                $"--host-name {host.Name} ")
            {
                Netns = host.Netns,
            };
            pids[host.Name] = await new Daemons(runner).EnsureAsync(daemon, cancellationToken);
        }

        var started = state with { AgentPids = pids };
        started.Save();
        return started;
    }

    /// <summary>The managers of the lab's sites other than site a, which run as detached `vcm manager` processes.</summary>
    public IReadOnlyList<LabSiteManager> SiteManagers(LabState state) =>
        state.Plan.Sites.Skip(1).Select(site => new LabSiteManager(runner, vcm, state, site)).ToList();

    /// <summary>
    /// Takes the lab down: stops the managers of sites other than a (by their PID files) and the agents, removes what they made on each host (VMs, gateways, volumes, segments —
    /// by `vcm agent --teardown` in the host's namespace), then the namespaces and links, then the lab's files.
    /// </summary>
    public async Task StopAsync(LabState state, CancellationToken cancellationToken)
    {
        foreach (var manager in SiteManagers(state))
        {
            await manager.StopAsync(cancellationToken);
        }

        foreach (var host in state.Plan.AllHosts)
        {
            await new Daemons(runner).StopAsync(Path.Combine(state.HostData(host.Name), "agent.pid"), $"--host-name {host.Name} ", TimeSpan.FromSeconds(10), cancellationToken);
        }

        var namespaces = await LabTopology.NamespacesAsync(runner, cancellationToken);
        foreach (var host in state.Plan.AllHosts.Where(h => namespaces.Contains(h.Netns)))
        {
            var data = state.HostData(host.Name);
            if (!Directory.Exists(data))
            {
                continue;
            }

            await runner.RunAsync(
                new ProcessSpec("ip", ["netns", "exec", host.Netns, vcm, "agent", "--teardown", "--host-name", host.Name, "--address", host.Address, "--data", data])
                {
                    Timeout = TimeSpan.FromMinutes(3),
                },
                cancellationToken);
        }

        await new LabTopology(runner).DeleteAsync(state.Plan, cancellationToken);
        state.Delete();
    }
}
