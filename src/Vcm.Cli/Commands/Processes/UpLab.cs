using Vcm.Agent.Linux.Images.Layers;
using Vcm.Agent.Linux.Packages;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Vcm.Agent.Linux.Preparation;
using Vcm.Api;
using Vcm.Cli.Commands.Hosts;
using Vcm.Cli.Infrastructure;
using Vcm.Cli.Lab;
using Vcm.Manager.Configuration;
using Vcm.Manager.Hosting;

namespace Vcm.Cli.Commands.Processes;

/// <summary>
/// `vcm up --lab SITESxHOSTS`: a real site in miniature, hosts made of network namespaces on this machine. With two
/// sites, site a's manager runs in this process and site b's as a detached `vcm manager` this process keeps running;
/// the sites' gateway hosts are joined by a WAN link and the sites are registered as peers.
/// </summary>
internal static class UpLab
{
    public static async Task<int> RunAsync(Invocation cli, CliServices services, LabPlan plan, CancellationToken ct)
    {
        if (!HostPrepareCommand.IsRoot())
        {
            throw new CliException("vcm up --lab makes network namespaces and runs VMs, which takes root: run it as root", ExitCodes.Usage);
        }

        if (plan.Sites.Count > 2)
        {
            throw new CliException(
                "Labs of 3 or 4 sites are not built: their WAN would be a star around site a, and nothing routes between the other sites through it; use --lab 1xN or 2xN",
                ExitCodes.Usage);
        }

        var site = plan.Sites[0];
        var data = Path.GetFullPath(cli.Get(ManagerCommand.Data) ?? CliPaths.DefaultDataDirectory());
        var runner = new LabRunner(services, Environment.ProcessPath!);
        var earlier = LabState.Load(data);
        if (earlier is not null && !earlier.Plan.SameShapeAs(plan))
        {
            throw new CliException($"A different lab from an earlier run is still set up in {data}; run `vcm down` first", ExitCodes.Usage);
        }

        if (earlier is not null && !await runner.IsIntactAsync(earlier, ct))
        {
            throw new CliException($"The lab from an earlier run in {data} is half gone; run `vcm down` first", ExitCodes.Usage);
        }

        Console.Out.WriteLine(
            $"vcm up: lab {plan.Sites.Count}x{site.Hosts.Count} — {string.Join("; ", plan.Sites.Select(s => $"site {s.Name} with hosts {string.Join(", ", s.Hosts.Select(h => h.Name))}"))} " +
            "as network namespaces on this machine; real QEMU VMs, VXLAN segments, gateways and iSCSI.");
        var prepared = await HostPreparation.PrepareAsync(services.Runner, isRoot: true, ct);
        if (!prepared.Ready)
        {
            throw new CliException(prepared.Sentence, ExitCodes.Failed);
        }

        var options = ManagerCommand.Read(cli) with
        {
            DataDirectory = data,
            SiteName = site.Name,
            External = LabRunner.External(site),
            BuildImages = true,
            // a lab's agents beat every 2 s (LabRunner): 10 s of silence is five missed beats
            HostDownAfter = cli.Get(ManagerCommand.HostDownAfter) is { } silent ? TimeSpan.FromSeconds(silent) : LabRunner.HostDownAfter,
            HostStartGrace = LabRunner.HostStartGrace,
        };
        // agents and peer sites reach the manager on the lab's management network, over HTTPS; the CLI on loopback
        var mgmt = $"https://{site.ManagerAddress}:{new Uri(options.Listen).Port.ToString(CultureInfo.InvariantCulture)}";
        options = options with { Listen = $"{options.Listen};{mgmt}", AdvertiseUrl = mgmt };
        await ImageStore.EnsureAsync(services.Runner, options.EffectiveImageDirectory, line => Console.Out.WriteLine(line), ct);

        // A lab left by an `up` that was killed is taken over as it is: its VMs, agents and managers kept running.
        var state = earlier ?? await runner.StartAsync(plan with { ManagerPort = new Uri(options.Listen.Split(';')[0]).Port }, data, ct);
        if (earlier is not null)
        {
            Console.Out.WriteLine("vcm up: resuming the lab an earlier run left: its hosts, agents and VMs are kept.");
            state = state with { Plan = state.Plan with { WanRateMbit = plan.WanRateMbit } };
            state.Save();
            await new LabTopology(services.Runner).ShapeWanAsync(state.Plan, ct);
        }

        var others = runner.SiteManagers(state);
        LabSupervisor? supervisor = null;
        try
        {
            await using var manager = await ManagerServer.BuildAsync(
                options, ct, configure: b =>
                {
                    b.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
                    if (options.FenceCommand is null)
                    {
                        b.Services.AddSingleton<Manager.Hosts.IHostFence>(LabHostFence.Of(state, services.Runner)); // the lab's own: its hosts are namespaces
                    }
                },
                imageLayers: new DebianLayers(options.EffectiveImageDirectory, services.Runner),
                packageArchive: new AptArchive(Path.Combine(options.EffectiveImageDirectory, ".cache"), services.Runner));
            await manager.App.StartAsync(ct);
            state = await runner.StartAgentsAsync(state, site, await manager.CreateJoinTokenAsync(ct), ct);
            using var client = VcmClient.Create(options.Listen.Split(';')[0], manager.AdminToken);
            var remotes = new List<(LabSiteManager Manager, VcmClient Client)>();
            foreach (var other in others)
            {
                await other.EnsureAsync(options.EffectiveImageDirectory, ct);
                var remote = await other.WaitReadyAsync(TimeSpan.FromMinutes(1), ct);
                state = await runner.StartAgentsAsync(state, other.Site, (await remote.CreateJoinTokenAsync(ct)).Token ?? throw new CliException($"Site {other.Site.Name}'s manager made a join token without its secret.", ExitCodes.Failed), ct);
                remotes.Add((other, remote));
            }

            supervisor = others.Count > 0 ? new LabSupervisor(others, options.EffectiveImageDirectory, services.Clock) : null;
            await WaitForHostsAsync(client, site.Hosts.Count, services.Clock, ct);
            foreach (var (other, remote) in remotes)
            {
                await WaitForHostsAsync(remote, other.Site.Hosts.Count, services.Clock, ct);
                await LabPeering.PeerAsync(client, other, remote, ct);
            }

            PrintReady(state, options, data, others);
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                Console.Out.WriteLine("vcm up: releasing every cluster, then removing the lab…");
            }

            using (var drain = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
            {
                await ReleaseAllAsync(client, site, drain.Token);
                foreach (var (other, remote) in remotes)
                {
                    await ReleaseAllAsync(remote, other.Site, drain.Token);
                }
            }

            await manager.App.StopAsync(CancellationToken.None);
        }
        finally
        {
            if (supervisor is not null)
            {
                await supervisor.DisposeAsync();
            }

            // the other sites' managers are stopped by PID first, then the agents, hosts and links
            using var teardown = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await runner.StopAsync(state, teardown.Token);
            Console.Out.WriteLine("vcm up: the lab is gone.");
        }

        return ExitCodes.Ok;
    }

    private static void PrintReady(LabState state, ManagerOptions options, string data, IReadOnlyList<LabSiteManager> others)
    {
        var site = state.Plan.Sites[0];
        Console.Out.WriteLine($"manager: {options.Listen.Split(';')[0]} (and {site.ManagerAddress} on the lab's management network); data in {data}");
        foreach (var other in others)
        {
            Console.Out.WriteLine(
                $"manager of site {other.Site.Name}: {other.Url} (and {other.Site.ManagerAddress} on its management network); pid {other.RunningPid}; " +
                $"data in {other.Folder}, admin token in {other.TokenFile}");
        }

        foreach (var link in state.Plan.WanLinks)
        {
            var rate = state.Plan.WanRateMbit is { } mbit ? $"shaped to {mbit} Mbit/s (tc tbf)" : "unshaped";
            Console.Out.WriteLine($"WAN path {link.Path}: {link.NetnsA} {link.InterfaceA} {link.AddressA} ↔ {link.NetnsB} {link.InterfaceB} {link.AddressB}, MTU {LabWanLink.Mtu}, {rate}");
        }

        Console.Out.WriteLine($"hosts: {string.Join(", ", state.Plan.AllHosts.Select(h => $"{h.Name} {h.Address} ({string.Join(",", h.Roles)})"))}");
        Console.Out.WriteLine("try:  ./vcm cluster create demo --workers 3 --ssh-key ~/.ssh/id_ed25519.pub --wait; ./vcm ssh demo -- hostname");
        Console.Out.WriteLine("Ctrl-C releases every cluster and removes the lab.");
    }

    private static async Task WaitForHostsAsync(VcmClient client, int count, TimeProvider clock, CancellationToken ct)
    {
        var deadline = clock.GetUtcNow().AddMinutes(2);
        while ((await client.ListHostsAsync(ct)).Count(h => h.State == "ready") < count)
        {
            if (clock.GetUtcNow() > deadline)
            {
                throw new CliException("The lab's agents did not all join within 2 minutes; see DATA/lab/hosts/*/agent.log", ExitCodes.Failed);
            }

            await Task.Delay(200, ct);
        }
    }

    /// <summary>Deletes every live cluster of a site and waits until each is released (or time runs out).</summary>
    private static async Task ReleaseAllAsync(VcmClient client, LabSite site, CancellationToken ct)
    {
        try
        {
            var live = await client.ListClustersAsync(all: false, ct);
            foreach (var cluster in live)
            {
                await client.DeleteClusterAsync(cluster.Id, ct);
            }

            while ((await client.ListClustersAsync(all: false, ct)).Count > 0)
            {
                await Task.Delay(300, ct);
            }
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"vcm up: not every cluster of site {site.Name} was released in time; removing what is left directly.");
        }
        catch (Exception e) when (e is HttpRequestException or VcmApiException)
        {
            Console.Error.WriteLine($"vcm up: releasing the clusters of site {site.Name} failed ({e.Message}); removing what is left directly.");
        }
    }
}
