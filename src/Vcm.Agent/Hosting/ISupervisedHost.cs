namespace Vcm.Agent.Hosting;

/// <summary>A host whose long-running programs the agent itself keeps alive, between the manager's visits.</summary>
public interface ISupervisedHost
{
    string HostName { get; }

    /// <summary>
    /// Starts again every program of an object made on this host that died (a VPN end's openvpn), from the files its
    /// last ensure left; answers what was restarted. Objects being changed or deleted are left to that change.
    /// </summary>
    Task<IReadOnlyList<string>> ReviveAsync(CancellationToken cancellationToken);
}
