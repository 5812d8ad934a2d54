using Vcm.Agent.Execution;
using Vcm.Agent.Hosting;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Network;
using Vcm.Drivers.Rpc;
using Vcm.Manager.Agents;

namespace Vcm.Testing;

/// <summary>The agent RPC without the network: calls the agent's step executor directly, recording each call.</summary>
public sealed class InProcessAgentClient(AgentHosts hosts) : IAgentClient
{
    private readonly StepExecutor _executor = new(hosts.ByName);
    private int _applyCalls;
    private Func<Task>? _beforeNextApply;

    public AgentHosts Hosts => hosts;

    public int ApplyCalls => _applyCalls;

    /// <summary>When set, hosts named here answer as if their agent were unreachable.</summary>
    public HashSet<string> Unreachable { get; } = new(StringComparer.Ordinal);

    /// <summary>Runs at the start of the next apply call (once; it is cleared before it runs): lets a test act while a reconcile is under way.</summary>
    public Func<Task>? BeforeNextApply
    {
        get => _beforeNextApply;
        set => _beforeNextApply = value;
    }

    public async Task<IReadOnlyList<HostWorkResult>> ApplyAsync(
        IReadOnlyList<HostWork> work, IReadOnlyDictionary<string, AgentRoute> routes, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _applyCalls);
        if (Interlocked.Exchange(ref _beforeNextApply, null) is { } before)
        {
            await before();
        }

        var reachable = work.Where(w => !Unreachable.Contains(w.Host)).ToList();
        var response = await _executor.ApplyAsync(new ApplyRequest(reachable), cancellationToken);
        return response.Hosts.Concat(work.Where(w => Unreachable.Contains(w.Host)).Select(w =>
            new HostWorkResult(w.Host, w.Steps.Select(s => new StepResult(s.Kind, s.Target, StepOutcome.Failed, $"agent for {w.Host} unreachable")).ToList()))).ToList();
    }

    /// <summary>When set, what the gateways' phone-home reports become (null: the node has not phoned home), e.g. a guest that made its own host key.</summary>
    public Func<NodeReport, NodeReport?>? RewriteReports { get; set; }

    public async Task<IReadOnlyList<NodeReport>?> ReportsAsync(string host, string gateway, AgentRoute route, CancellationToken cancellationToken)
    {
        if (Unreachable.Contains(host) || !hosts.ByName.TryGetValue(host, out var drivers))
        {
            return null;
        }

        var reports = await drivers.Network.ReportsAsync(gateway, cancellationToken);
        return RewriteReports is { } rewrite ? reports.Select(rewrite).OfType<NodeReport>().ToList() : reports;
    }

    public async Task<string?> ConsoleAsync(string host, string vm, int bytes, AgentRoute route, CancellationToken cancellationToken) =>
        !Unreachable.Contains(host) && hosts.ByName.TryGetValue(host, out var drivers) ? await drivers.Compute.ConsoleAsync(vm, bytes, cancellationToken) : null;

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<VmStatus>?>> ListVmsAsync(
        IReadOnlyCollection<string> names, IReadOnlyDictionary<string, AgentRoute> routes, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, IReadOnlyList<VmStatus>?>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            result[name] = !Unreachable.Contains(name) && hosts.ByName.TryGetValue(name, out var drivers)
                ? await drivers.Compute.ListVmsAsync(cancellationToken)
                : null;
        }

        return result;
    }
}
