using Vcm.Agent.Linux.Images.Layers;
using Vcm.Agent.Linux.Packages;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Vcm.Agent.Linux.Network;
using Vcm.Agent.Linux.Preparation;
using Vcm.Cli.Commands.Hosts;
using Vcm.Cli.Infrastructure;
using Vcm.Drivers.Processes;
using Vcm.Manager.Configuration;
using Vcm.Manager.Hosting;

namespace Vcm.Cli.Commands.Processes;

/// <summary>
/// `vcm up` with no flags: this machine as a one-host site with the real drivers. Its external network is a bridge
/// vcm makes (vcext, 172.31.255.1/24): gateways NAT to it, and `vcm ssh` reaches nodes through it. Stopping `up`
/// leaves the clusters running (their VMs and gateways outlive it); the next `up` takes them over again.
/// </summary>
internal static class UpLocal
{
    public const string Bridge = "vcext";
    public const string Subnet = "172.31.255.0/24";
    public const string Router = "172.31.255.1";

    public static async Task<int> RunAsync(Invocation cli, CliServices services, CancellationToken ct)
    {
        if (!HostPrepareCommand.IsRoot())
        {
            throw new CliException("vcm up runs real VMs and makes bridges on this machine, which takes root: run it as root (or `vcm up --sim N` for simulated hosts)", ExitCodes.Usage);
        }

        Console.Out.WriteLine("vcm up: this machine as a one-host site with real QEMU VMs, Linux bridges and gateways, and tgt iSCSI.");
        var prepared = await HostPreparation.PrepareAsync(services.Runner, isRoot: true, ct);
        if (!prepared.Ready)
        {
            throw new CliException(prepared.Sentence, ExitCodes.Failed);
        }

        var options = ManagerCommand.Read(cli) with
        {
            External = new ExternalNetworkOptions(Subnet, Router, Bridge),
            BuildImages = true,
        };
        await ImageStore.EnsureAsync(services.Runner, options.EffectiveImageDirectory, line => Console.Out.WriteLine(line), ct);
        await EnsureExternalBridgeAsync(services.Runner, ct);

        await using var manager = await ManagerServer.BuildAsync(options, ct, imageLayers: new DebianLayers(options.EffectiveImageDirectory, services.Runner),
            packageArchive: new AptArchive(Path.Combine(options.EffectiveImageDirectory, ".cache"), services.Runner));
        await manager.App.StartAsync(ct);
        var agentDir = Path.Combine(options.DataDirectory, "agent");
        var port = new Uri(options.Listen).Port.ToString(CultureInfo.InvariantCulture);
        var args = new List<string>
        {
            "agent", "--join", options.Listen, "--token-file", JoinTokenSource.Write(agentDir, await manager.CreateJoinTokenAsync(ct)), "--data", agentDir,
            "--host-name", Environment.MachineName.ToLowerInvariant(), "--address", "127.0.0.1", "--listen", "https://127.0.0.1:0",
            "--roles", "compute,gateway,storage", "--image-store", options.Listen,
            "--exit-with", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
        };
        using var agent = services.Runner.Start(new ProcessSpec(Environment.ProcessPath!, args), line => Console.Error.WriteLine("agent: " + line));
        Console.Out.WriteLine($"manager: {options.Listen} (site {manager.Site.Name}, data in {options.DataDirectory}); agent: pid {agent.Pid}; port {port}");
        Console.Out.WriteLine($"admin token: {Path.Combine(options.DataDirectory, Manager.Auth.AdminToken.FileName)}");
        Console.Out.WriteLine("try:  ./vcm cluster create demo --workers 2 --ssh-key ~/.ssh/id_ed25519.pub --wait; ./vcm ssh demo -- hostname");
        try
        {
            await manager.App.WaitForShutdownAsync(ct);
        }
        finally
        {
            await agent.StopAsync(TimeSpan.FromSeconds(10));
        }

        return ExitCodes.Ok;
    }

    /// <summary>The site's external network on this machine: a bridge vcm owns, with the router address.</summary>
    private static async Task EnsureExternalBridgeAsync(IProcessRunner runner, CancellationToken ct)
    {
        if (!(await runner.RunAsync(ProcessSpec.Of("ip", "link", "show", Bridge), ct)).Succeeded)
        {
            (await runner.RunAsync(ProcessSpec.Of("ip", "link", "add", Bridge, "type", "bridge"), ct)).EnsureSuccess();
        }

        if (!(await IpQueries.Ipv4AddressesAsync(runner, null, Bridge, ct)).Contains($"{Router}/24"))
        {
            (await runner.RunAsync(ProcessSpec.Of("ip", "addr", "add", $"{Router}/24", "dev", Bridge), ct)).EnsureSuccess();
        }

        (await runner.RunAsync(ProcessSpec.Of("ip", "link", "set", Bridge, "up"), ct)).EnsureSuccess();
    }
}
