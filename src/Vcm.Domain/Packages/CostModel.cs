using Vcm.Domain.Clusters;

namespace Vcm.Domain.Packages;

/// <summary>
/// Estimates the time to Ready of every way a request's packages can reach its nodes and orders them, cheapest first
/// (ties in the order of <see cref="ReadyWay"/>) — pure: the same request and history give the same answer.
/// A way's time is build (only <see cref="ReadyWay.BuildLayer"/>) + transfer of what the nodes boot from to the
/// slowest of their hosts (the base image is taken to be on every host already) + boot + install at boot. Only the
/// ways the request's <see cref="CostRequest.Install"/> allows are considered; BaseInstall always is, so a request
/// forced to boot-install has at least one.
/// </summary>
public static class CostModel
{
    public static ReadyEstimate Estimate(CostRequest request, CostHistory history, CostDefaults defaults)
    {
        var fit = BuildFit.Of(history.Builds, defaults);
        var rates = new TransferRates(history.Fetches, defaults);
        var installs = InstallFit.Of(history.Installs, defaults);
        var ways = new List<WayEstimate>();
        var boot = defaults.BootSeconds;

        if (request.ExactBytes is { } exactBytes)
        {
            var (transfer, how) = rates.To(request.Hosts, exactBytes);
            ways.Add(new WayEstimate(ReadyWay.LayerExact, transfer + boot, $"layer {request.ExactLayer} is built: fetch {how} {transfer:0} s + boot {boot:0} s")
            {
                Boots = request.ExactLayer,
            });
        }
        else
        {
            var build = fit.Seconds(request.Installs, request.InstalledKib);
            var (transfer, how) = rates.To(request.Hosts, fit.Bytes(request.Installs, request.InstalledKib));
            ways.Add(new WayEstimate(ReadyWay.BuildLayer, build + transfer + boot,
                $"build layer {request.ExactLayer} ({request.Installs} packages; {fit}) {build:0} s + fetch {how} {transfer:0} s + boot {boot:0} s")
            {
                Boots = request.ExactLayer,
                BuildSeconds = build,
            });
        }

        if (request.Cache is { } cache && cache.Layer != request.ExactLayer)
        {
            var requested = request.Requested.ToHashSet(StringComparer.Ordinal);
            var held = cache.Packages.ToHashSet(StringComparer.Ordinal);
            var (transfer, how) = rates.To(request.Hosts, cache.Bytes);
            if (requested.IsSubsetOf(held))
            {
                ways.Add(new WayEstimate(ReadyWay.CacheImage, transfer + boot,
                    $"cache image {cache.Layer} holds every package asked for: fetch {how} {transfer:0} s + boot {boot:0} s") { Boots = cache.Layer });
            }
            else if (held.Count > 0 && held.IsSubsetOf(requested))
            {
                var missing = requested.Count - held.Count;
                var rest = Math.Max(missing, request.Installs - cache.Installs);
                var install = installs.Seconds(rest);
                ways.Add(new WayEstimate(ReadyWay.CacheImagePlusInstall, transfer + boot + install,
                    $"cache image {cache.Layer} holds {held.Count} of the {requested.Count} packages asked for: fetch {how} {transfer:0} s + boot {boot:0} s + install {rest} packages at boot {install:0} s")
                {
                    Boots = cache.Layer,
                });
            }
        }

        var everything = installs.Seconds(request.Installs);
        ways.Add(new WayEstimate(ReadyWay.BaseInstall, boot + everything,
            $"boot {request.Image} {boot:0} s + install {request.Installs} packages at boot {everything:0} s ({installs})")
        {
            Boots = request.Image,
        });

        return new ReadyEstimate(ways.Where(w => Allowed(w.Way, request.Install)).OrderBy(w => w.Seconds).ThenBy(w => w.Way).ToList());
    }

    /// <summary>Whether <c>--install</c> allows a way: auto every way, layer those that boot a layer holding the set, boot those that install at boot.</summary>
    public static bool Allowed(ReadyWay way, InstallMode mode) => mode switch
    {
        InstallMode.Layer => !way.InstallsAtBoot(),
        InstallMode.Boot => way.InstallsAtBoot(),
        _ => true,
    };

    /// <summary>The ways whose nodes install packages at boot.</summary>
    public static bool InstallsAtBoot(this ReadyWay way) => way is ReadyWay.CacheImagePlusInstall or ReadyWay.BaseInstall;
}
