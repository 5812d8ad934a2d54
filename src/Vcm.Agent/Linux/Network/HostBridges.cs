using Vcm.Drivers;

namespace Vcm.Agent.Linux.Network;

/// <summary>Checks that a bridge something is to join exists on the host.</summary>
internal static class HostBridges
{
    /// <summary>
    /// Throws unless <paramref name="bridge"/> is a bridge among <paramref name="links"/>: missing is worth a retry
    /// (its segment may be made next), a link of another kind is terminal.
    /// </summary>
    public static void Require(IReadOnlyDictionary<string, LinkInfo> links, string bridge, string what)
    {
        if (!links.TryGetValue(bridge, out var link))
        {
            throw new DriverException($"{what}, {bridge}, does not exist on this host");
        }

        if (!link.IsBridge)
        {
            throw new DriverException($"{what}, {bridge}, is not a bridge", terminal: true);
        }
    }
}
