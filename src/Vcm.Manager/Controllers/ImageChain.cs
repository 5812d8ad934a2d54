using Vcm.Drivers.Images;
using Vcm.Drivers.Rpc;
using Vcm.Manager.Agents;

namespace Vcm.Manager.Controllers;

/// <summary>
/// How one build's hosts get its image: a chain in host-name order, the first host copying from the site's store and
/// each next one from its predecessor while the predecessor still receives (each host sends what it got on to the
/// next, as Dolly+ does), so the time to reach N hosts is about one copy plus the pipeline's fill, nearly flat in N.
/// Every host checks each chunk against the store's chunk list and falls back to the store when its predecessor
/// fails or sends bad bytes.
/// </summary>
public static class ImageChain
{
    /// <summary>The peer each host copies from (null: the store), for hosts with a known agent.</summary>
    public static IReadOnlyDictionary<string, ImagePeer?> Plan(IEnumerable<string> hosts, IReadOnlyDictionary<string, AgentRoute> routes)
    {
        var plan = new Dictionary<string, ImagePeer?>(StringComparer.Ordinal);
        ImagePeer? previous = null;
        foreach (var host in hosts.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            plan[host] = previous;
            previous = routes.TryGetValue(host, out var route) ? new ImagePeer(host, route.Url, ImageReadToken.For(route.Key)) : null;
        }

        return plan;
    }
}
