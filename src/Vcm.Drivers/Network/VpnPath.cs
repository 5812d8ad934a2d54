namespace Vcm.Drivers.Network;

/// <summary>
/// One WAN path of a VPN end: this host's address on it and the other end's. A site pair with several WAN links has a
/// path per link; the k-th WAN address of each gateway host makes path k.
/// </summary>
public sealed record VpnPath(string Local, string Remote)
{
    /// <summary>
    /// The paths between two gateway hosts from their WAN addresses in path order: the k-th of each side, as many as
    /// the side with fewer has.
    /// </summary>
    public static IReadOnlyList<VpnPath> Pair(IReadOnlyList<string> local, IReadOnlyList<string> remote) =>
        local.Zip(remote, (l, r) => new VpnPath(l, r)).ToList();
}
