using System.Globalization;
using Vcm.Agent.Linux.Network;
using Vcm.Cli.Infrastructure;
using Vcm.Drivers.Processes;
using Vcm.Manager.Configuration;
using Vcm.Manager.Hosting;

namespace Vcm.Cli.Lab;

/// <summary>
/// Runs a lab: builds its topology, starts one `vcm agent` per host inside the host's namespace (joined to the
/// manager over the management network with a join token), and takes it all down again.
/// </summary>
public sealed class LabRunner(CliServices services, string vcm)
{
    /// <summary>How often a lab host's agent reports to its manager.</summary>
    public const int HeartbeatSeconds = 2;

    /// <summary>A lab manager's default --host-down-after: five missed heartbeats.</summary>
    public static readonly TimeSpan HostDownAfter = TimeSpan.FromSeconds(10);

    /// <summary>What a lab's agents get besides <see cref="HostDownAfter"/> to report after its manager (re)starts.</summary>
    public static readonly TimeSpan HostStartGrace = TimeSpan.FromSeconds(15);

    /// <summary>What each lab host tells the scheduler it has: this one machine's cores are shared by all of them.</summary>
    public const string HostCpus = "8";
    public const string HostMemory = "8G";

    /// <summary>How long the programs in a host's namespace may take to exit once its agent removed what it made.</summary>
    public static readonly TimeSpan EmptyTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    private readonly IProcessRunner _runner = services.Runner;
    private readonly Daemons _daemons = new(services.Runner, services.Clock);

    public static ExternalNetworkOptions External(LabSite site) =>
        new(site.ExternalSubnet, site.ExternalRouter, LabSite.ExternalBridge, site.ExternalNetns);

    public async Task<LabState> StartAsync(LabPlan plan, string dataDirectory, CancellationToken cancellationToken)
    {
        var state = new LabState(plan, dataDirectory, new Dictionary<string, int>());
        state.Save();
        await new LabTopology(_runner).CreateAsync(plan, cancellationToken);
        return state;
    }

    /// <summary>True when every namespace of the lab still exists.</summary>
    public async Task<bool> IsIntactAsync(LabState state, CancellationToken cancellationToken)
    {
        var namespaces = await IpQueries.NamespacesAsync(_runner, cancellationToken);
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
                "agent", "--join", manager, "--token-file", JoinTokenSource.Write(data, joinToken), "--host-name", host.Name, "--address", host.Address,
                "--listen", host.AgentUrl, "--roles", string.Join(',', host.Roles), "--data", data, "--image-store", manager,
                "--underlay-mtu", LabTopology.UnderlayMtu.ToString(CultureInfo.InvariantCulture),
                "--cpus", HostCpus, "--memory", HostMemory, "--heartbeat-seconds", HeartbeatSeconds.ToString(CultureInfo.InvariantCulture),
            ];
            foreach (var wan in state.Plan.WanAddressesOf(host))
            {
                args.AddRange(["--wan-address", wan]);
            }

            pids[host.Name] = await _daemons.EnsureAsync(AgentSpec(state, host, args), cancellationToken);
        }

        var started = state with { AgentPids = pids };
        started.Save();
        return started;
    }

    /// <summary>The managers of the lab's sites other than site a, which run as detached `vcm manager` processes.</summary>
    public IReadOnlyList<LabSiteManager> SiteManagers(LabState state) =>
        state.Plan.Sites.Skip(1).Select(site => new LabSiteManager(services, vcm, state, site)).ToList();

    /// <summary>
    /// Takes the lab down: stops the managers of sites other than a (by their PID files) and the agents, each waited
    /// for until it has exited; removes what they made on each host (VMs, gateways, volumes, segments — by `vcm agent
    /// --teardown` in the host's namespace) and waits until nothing runs in the hosts' namespaces any more (tgtd,
    /// openvpn and QEMU exit by then); then removes the namespaces and links, then the lab's files. When something
    /// still runs in a host's namespace, it says what and leaves the lab's record, so `vcm down` can finish later.
    /// </summary>
    public async Task StopAsync(LabState state, CancellationToken cancellationToken)
    {
        foreach (var manager in SiteManagers(state))
        {
            await manager.StopAsync(cancellationToken);
        }

        foreach (var host in state.Plan.AllHosts)
        {
            var agent = AgentSpec(state, host, []);
            await _daemons.StopAsync(agent.PidFile, agent.Marker, TimeSpan.FromSeconds(10), cancellationToken);
        }

        var namespaces = await IpQueries.NamespacesAsync(_runner, cancellationToken);
        var failures = new List<string>();
        foreach (var host in state.Plan.AllHosts.Where(h => namespaces.Contains(h.Netns)))
        {
            var data = state.HostData(host.Name);
            if (!Directory.Exists(data))
            {
                continue;
            }

            var teardown = await _runner.RunAsync(
                new ProcessSpec("ip", ["netns", "exec", host.Netns, vcm, "agent", "--teardown", "--host-name", host.Name, "--address", host.Address, "--data", data])
                {
                    Timeout = TimeSpan.FromMinutes(3),
                },
                cancellationToken);
            if (!teardown.Succeeded)
            {
                failures.Add($"host {host.Name}: {(teardown.StandardError + teardown.StandardOutput).Trim()}");
            }
        }

        await WaitUntilHostsEmptyAsync(state, failures, cancellationToken);
        await new LabTopology(_runner).DeleteAsync(state.Plan, cancellationToken);
        state.Delete();
    }

    /// <summary>A host's agent: detached in the host's namespace, found by its PID file and its host name.</summary>
    private DaemonSpec AgentSpec(LabState state, LabHost host, IReadOnlyList<string> args)
    {
        var data = state.HostData(host.Name);
        return new DaemonSpec(vcm, args, Path.Combine(data, "agent.pid"), Path.Combine(data, "agent.log"), $"--host-name {host.Name} ")
        {
            Netns = host.Netns,
        };
    }

    /// <summary>
    /// Waits until no process runs in any host namespace of the lab that still exists: a process in a namespace keeps
    /// it alive, unseen, after `ip netns del`.
    /// </summary>
    private async Task WaitUntilHostsEmptyAsync(LabState state, IReadOnlyList<string> failures, CancellationToken cancellationToken)
    {
        var deadline = services.Clock.GetUtcNow() + EmptyTimeout;
        while (true)
        {
            var namespaces = await IpQueries.NamespacesAsync(_runner, cancellationToken);
            var left = new List<string>();
            foreach (var host in state.Plan.AllHosts.Where(h => namespaces.Contains(h.Netns)))
            {
                left.AddRange((await IpQueries.PidsAsync(_runner, host.Netns, cancellationToken)).Select(pid => $"{Program(pid)} (pid {pid}) in {host.Netns}"));
            }

            if (left.Count == 0)
            {
                return;
            }

            if (services.Clock.GetUtcNow() > deadline)
            {
                var why = failures.Count > 0 ? $"; removing what the agents made failed on {string.Join("; ", failures)}" : "";
                throw new CliException(
                    $"The lab is not gone: {string.Join(", ", left)} still run{why}. Its namespaces and its record in {LabState.FileFor(state.DataDirectory)} are kept; run `vcm down` again once they have exited");
            }

            await Task.Delay(Poll, cancellationToken);
        }
    }

    private static string Program(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/comm").Trim();
        }
        catch (IOException)
        {
            return "a process";
        }
    }
}
