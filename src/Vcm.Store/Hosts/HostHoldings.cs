namespace Vcm.Store.Hosts;

/// <summary>
/// What a host holds of live clusters: how many nodes, and what cannot move live (running clusters' gateways and
/// shared volumes, future reservations left there by a drain), each as a phrase.
/// </summary>
public sealed record HostHoldings(string HostId, int Nodes, IReadOnlyList<string> Fixed);
