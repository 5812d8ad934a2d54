using Microsoft.Extensions.Logging;

namespace Vcm.Agent.Hosting;

/// <summary>
/// Every <see cref="Period"/>, asks each supervised host to restart what died (<see cref="ISupervisedHost.ReviveAsync"/>),
/// so a crashed tunnel comes back within seconds rather than at the manager's next ensure.
/// </summary>
public sealed class DaemonSupervisor(IReadOnlyList<ISupervisedHost> hosts, TimeProvider clock, ILogger<DaemonSupervisor> logger)
    : HostRounds<ISupervisedHost>(hosts, Period, clock, logger)
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    protected override string Doing => "restarting dead programs";

    /// <summary>One round over the hosts; a failing host is logged and does not stop the others.</summary>
    public Task ReviveAllAsync(CancellationToken cancellationToken) => RoundAsync(cancellationToken);

    protected override async Task<IReadOnlyList<string>> VisitAsync(ISupervisedHost host, CancellationToken cancellationToken) =>
        (await host.ReviveAsync(cancellationToken)).Select(name => $"{name} had died; started it again").ToList();

    protected override string NameOf(ISupervisedHost host) => host.HostName;
}
