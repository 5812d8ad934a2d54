using Microsoft.Extensions.Logging;

namespace Vcm.Agent.Hosting;

/// <summary>
/// Every <see cref="Period"/>, asks each host to keep its VPN ends of several WAN paths on a working path
/// (<see cref="IVpnPathHost.SelectVpnPathsAsync"/>): the failover of a lost WAN path is the agent's, within a second
/// or so of the loss being seen, not the manager's.
/// </summary>
public sealed class VpnPathSupervisor(IReadOnlyList<IVpnPathHost> hosts, TimeProvider clock, ILogger<VpnPathSupervisor> logger)
    : HostRounds<IVpnPathHost>(hosts, Period, clock, logger)
{
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(200);

    protected override string Doing => "choosing VPN paths";

    /// <summary>One round over the hosts; a failing host is logged and does not stop the others.</summary>
    public Task SelectAllAsync(CancellationToken cancellationToken) => RoundAsync(cancellationToken);

    protected override Task<IReadOnlyList<string>> VisitAsync(IVpnPathHost host, CancellationToken cancellationToken) =>
        host.SelectVpnPathsAsync(cancellationToken);

    protected override string NameOf(IVpnPathHost host) => host.HostName;
}
