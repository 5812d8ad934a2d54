using Microsoft.EntityFrameworkCore;
using Vcm.Domain.Common;
using Vcm.Domain.Packages;
using Vcm.Store.Records;

namespace Vcm.Store.Packages;

/// <summary>
/// What the site has seen of package sets, appended and read by the cost model: every create's request, every layer
/// build, every image fetch by an agent, every node's install at boot. Rows are only added, never changed.
/// </summary>
public sealed class PackageHistoryStore(Database database)
{
    /// <summary>The last <paramref name="limit"/> requests for an image, oldest first (of one instant, in cluster id order).</summary>
    public async Task<IReadOnlyList<PackageRequest>> RecentRequestsAsync(string image, int limit, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var rows = await db.PackageRequests.Where(r => r.Image == image)
            .OrderByDescending(r => r.AtMs).ThenByDescending(r => r.ClusterId).Take(limit).ToListAsync(cancellationToken);
        rows.Reverse();
        return rows.Select(r => new PackageRequest(r.Image, PackageText.Split(r.Packages), DateTimeOffset.FromUnixTimeMilliseconds(r.AtMs))).ToList();
    }

    /// <summary>Every image that was asked for with packages since <paramref name="sinceMs"/>, or has a cache image.</summary>
    public async Task<IReadOnlyList<string>> ImagesAsync(long sinceMs, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var requested = await db.PackageRequests.Where(r => r.AtMs >= sinceMs && r.Packages != "").Select(r => r.Image).Distinct().ToListAsync(cancellationToken);
        var cached = await db.CacheImages.Select(c => c.Image).ToListAsync(cancellationToken);
        return requested.Concat(cached).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    public async Task AddBuildAsync(LayerBuildRecord build, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        db.LayerBuilds.Add(build);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The last <paramref name="limit"/> layer builds, newest first.</summary>
    public async Task<IReadOnlyList<LayerBuildRecord>> RecentBuildsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.LayerBuilds.OrderByDescending(b => b.AtMs).ThenByDescending(b => b.Id).Take(limit).ToListAsync(cancellationToken);
    }

    /// <summary>The last <paramref name="limit"/> successful installs at boot, newest first, as the cost model reads them.</summary>
    public async Task<IReadOnlyList<InstallSample>> RecentInstallsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var rows = await db.InstallSamples.Where(i => i.Rc == 0).OrderByDescending(i => i.AtMs).ThenByDescending(i => i.Id).Take(limit).ToListAsync(cancellationToken);
        return rows.Select(i => new InstallSample(i.Packages, i.DurationMs / 1000.0)).ToList();
    }

    /// <summary>Records a fetch by the agent whose key is <paramref name="agentKey"/>; false (nothing written) for an unknown key.</summary>
    public async Task<bool> AddFetchAsync(string agentKey, string file, long bytes, long durationMs, long atMs, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var hash = Auth.TokenStore.Hash(agentKey);
        var agent = await db.Agents.Where(a => a.KeyHash == hash).Select(a => a.Id).FirstOrDefaultAsync(cancellationToken);
        if (agent is null)
        {
            return false;
        }

        db.ImageFetches.Add(new ImageFetchRecord { Id = Ids.New(), AgentId = agent, File = file, Bytes = bytes, DurationMs = durationMs, AtMs = atMs });
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// The last <paramref name="perAgent"/> fetches of each agent, as samples of each of its hosts (an agent fetches once
    /// for all the hosts it serves).
    /// </summary>
    public async Task<IReadOnlyList<FetchSample>> RecentFetchesAsync(int perAgent, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var hosts = await db.Hosts.Select(h => new { h.Id, h.AgentId }).ToListAsync(cancellationToken);
        var samples = new List<FetchSample>();
        foreach (var agent in hosts.GroupBy(h => h.AgentId, StringComparer.Ordinal))
        {
            var fetches = await db.ImageFetches.Where(f => f.AgentId == agent.Key)
                .OrderByDescending(f => f.AtMs).ThenByDescending(f => f.Id).Take(perAgent).ToListAsync(cancellationToken);
            samples.AddRange(agent.SelectMany(h => fetches.Select(f => new FetchSample(h.Id, f.Bytes, f.DurationMs / 1000.0))));
        }

        return samples;
    }
}
