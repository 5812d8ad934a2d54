namespace Vcm.Agent.Hosting;

/// <summary>A host whose VPN ends of several WAN paths the agent keeps on one working path, between the manager's visits.</summary>
public interface IVpnPathHost
{
    string HostName { get; }

    /// <summary>
    /// One look at each VPN end of several WAN paths: bridges the path the ends agree on (the lowest-numbered usable
    /// one) and no other; answers what it switched.
    /// </summary>
    Task<IReadOnlyList<string>> SelectVpnPathsAsync(CancellationToken cancellationToken);
}
