using Vcm.Api;

namespace Vcm.Bench;

/// <summary>Creating a cluster at site a of a <see cref="TwoSiteLab"/>, waiting for it, and releasing it at both sites.</summary>
internal static class BenchClusters
{
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromMinutes(10);

    /// <summary>Polls site a until the cluster is Ready (every 50 ms, so the time is close); a Failed cluster throws.</summary>
    public static async Task<ClusterView> WaitReadyAsync(TwoSiteLab lab, string name, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + ReadyWithin;
        while (true)
        {
            var view = await lab.SiteA.GetClusterAsync(name, nodes: false, cancellationToken);
            if (view.Phase == "Ready")
            {
                return view;
            }

            if (view.Phase is "Failed" or "Released" || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"cluster {name} is {view.Phase} ({view.Reason}), not Ready");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Deletes the cluster at site a and waits until it is Released there and its part at site b is too (or gone).</summary>
    public static async Task ReleaseAsync(TwoSiteLab lab, string name, CancellationToken cancellationToken)
    {
        await lab.SiteA.DeleteClusterAsync(name, cancellationToken);
        await WaitReleasedAsync(lab.SiteA, name, cancellationToken);
        await WaitReleasedAsync(lab.SiteB, name + "@a", cancellationToken);
    }

    private static async Task WaitReleasedAsync(VcmClient site, string name, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await site.GetClusterAsync(name, nodes: false, cancellationToken)).Phase == "Released")
                {
                    return;
                }
            }
            catch (VcmApiException e) when (e.Status == 404)
            {
                return;
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"cluster {name} was not released within 5 minutes");
    }
}
