using System.Diagnostics;
using Vcm.Api;
using Vcm.Domain.Clusters;

namespace Vcm.Bench;

/// <summary>
/// The same cluster (head + 3 workers, spread) built at one site (<c>--sites a:4</c>) and over two
/// (<c>--sites a:2,b:2</c>), both created at site a, create → Ready; released between rounds; the order of the two
/// alternates from round to round.
/// </summary>
internal sealed class BuildTimeRun(TwoSiteLab lab, int rounds)
{
    public static readonly string[] OneSite = ["a:4"];
    public static readonly string[] TwoSites = ["a:2", "b:2"];

    public async Task<(List<double> OneSite, List<double> TwoSites)> RunAsync(CancellationToken cancellationToken)
    {
        var one = new List<double>();
        var two = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var oneFirst = round % 2 == 0;
            foreach (var sites in oneFirst ? new[] { OneSite, TwoSites } : [TwoSites, OneSite])
            {
                var seconds = await BuildAsync($"{(sites == OneSite ? "one" : "two")}{round}", sites, cancellationToken);
                (sites == OneSite ? one : two).Add(seconds);
            }

            Console.Error.WriteLine($"bench: build round {round + 1}: one site {one[^1]:0.00} s, two sites {two[^1]:0.00} s");
        }

        return (one, two);
    }

    private async Task<double> BuildAsync(string name, string[] sites, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        await lab.SiteA.CreateClusterAsync(new ClusterSpecInput { Name = name, Workers = 3, Sites = sites, Policy = "spread" }, cancellationToken);
        await BenchClusters.WaitReadyAsync(lab, name, cancellationToken);
        var seconds = watch.Elapsed.TotalSeconds;
        await BenchClusters.ReleaseAsync(lab, name, cancellationToken);
        return seconds;
    }
}
