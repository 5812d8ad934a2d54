using Microsoft.Extensions.Logging;
using Vcm.Drivers.Rpc;

namespace Vcm.Agent.Hosting;

/// <summary>What a heartbeat says of the agent's running VMs: each one's use of its host, as its compute driver measures it.</summary>
public static partial class VmUsageReports
{
    /// <summary>Every host's running VMs that their driver can measure; a host whose VMs cannot be listed is left out (and logged).</summary>
    public static async Task<IReadOnlyList<VmUsageReport>> ReadAsync(AgentHosts hosts, ILogger logger, CancellationToken cancellationToken)
    {
        var reports = new List<VmUsageReport>();
        foreach (var (name, host) in hosts.ByName)
        {
            try
            {
                reports.AddRange((await host.Compute.ListVmsAsync(cancellationToken))
                    .Where(vm => vm.Usage is not null)
                    .Select(vm => new VmUsageReport(name, vm.Name, vm.Usage!.CpuSeconds, vm.Usage.MemoryBytes)));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, name, e.Message);
            }
        }

        return reports;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "host {Host}: its VMs' usage could not be read: {Error}")]
    private static partial void LogFailed(ILogger logger, string host, string error);
}
