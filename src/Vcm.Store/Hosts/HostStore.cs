using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Vcm.Domain.Common;
using Vcm.Domain.Hosts;
using Vcm.Store.Auth;
using Vcm.Store.Records;
using Vcm.Store.Sites;

namespace Vcm.Store.Hosts;

/// <summary>Agents and the hosts they serve.</summary>
public sealed class HostStore(Database database)
{
    /// <summary>What a host reports of itself.</summary>
    public sealed record HostReport(string Name, int Roles, long Cpus, long MemoryMb, long DiskMb, bool Kvm, string Address, string Driver, string? WanAddress = null, string? WanAddresses = null);

    /// <summary>
    /// Takes an agent in (or back in), with its hosts, matched by name within the site. An agent id already known
    /// comes back only with its own key, and a host another agent holds moves only to an agent with that agent's key
    /// or once it is marked down; otherwise nothing is written and the result names every conflict.
    /// </summary>
    public async Task<HostJoin> JoinAsync(
        string siteId, string agentId, string key, string url, IReadOnlyList<HostReport> reports, long nowMs, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var agent = await db.Agents.AsTracking().FirstOrDefaultAsync(a => a.Id == agentId, cancellationToken);
        var names = reports.Select(r => r.Name).ToList();
        var existing = await db.Hosts.AsTracking().Where(h => h.SiteId == siteId && names.Contains(h.Name)).ToDictionaryAsync(h => h.Name, cancellationToken);
        var conflicts = await ConflictsAsync(db, agent, agentId, key, existing.Values, cancellationToken);
        if (conflicts.Count > 0)
        {
            return new HostJoin([], conflicts);
        }

        if (agent is null)
        {
            agent = new AgentRecord { Id = agentId, SiteId = siteId, Url = url, Key = key, JoinedMs = nowMs, HeartbeatMs = nowMs, Version = 1 };
            db.Agents.Add(agent);
        }
        else
        {
            agent.Url = url;
            agent.HeartbeatMs = nowMs;
        }

        foreach (var report in reports)
        {
            if (!existing.TryGetValue(report.Name, out var host))
            {
                host = new HostRecord
                {
                    Id = Ids.New(), SiteId = siteId, AgentId = agentId, Name = report.Name, Address = report.Address,
                    Driver = report.Driver, State = HostState.Ready, Version = 1,
                };
                db.Hosts.Add(host);
                existing[report.Name] = host;
            }

            Apply(host, report, agentId, nowMs);
        }

        await db.SaveChangesAsync(cancellationToken);
        await CalendarVersion.BumpAsync(db, siteId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new HostJoin(existing.Values.OrderBy(h => h.Name, StringComparer.Ordinal).ToList(), []);
    }

    /// <summary>Why a join may not bind the agent id or the hosts: each as a sentence, none when it may.</summary>
    private static async Task<IReadOnlyList<string>> ConflictsAsync(
        VcmDbContext db, AgentRecord? agent, string agentId, string key, IEnumerable<HostRecord> hosts, CancellationToken cancellationToken)
    {
        var conflicts = new List<string>();
        if (agent is not null && !KeysMatch(agent.Key, key))
        {
            conflicts.Add($"agent id {agentId} is taken by another agent (with another key)");
        }

        // A host marked down (its agent silent past the site's limit) may be taken by a new agent: a machine whose
        // agent lost its identity, or a lab made again beside the same database, joins anew.
        var holders = hosts.Where(h => h.AgentId != agentId && h.State is not (HostState.Down or HostState.Dead)).ToList();
        var holderIds = holders.Select(h => h.AgentId).Distinct().ToList();
        var holderKeys = await db.Agents.Where(a => holderIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Key, StringComparer.Ordinal, cancellationToken);
        foreach (var host in holders.OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            if (holderKeys.TryGetValue(host.AgentId, out var holderKey) && !KeysMatch(holderKey, key))
            {
                conflicts.Add($"host {host.Name} belongs to agent {host.AgentId}, which is not down");
            }
        }

        return conflicts;
    }

    /// <summary>Compares an agent's stored key with one given, in constant time.</summary>
    public static bool KeysMatch(string stored, string given) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(stored), System.Text.Encoding.UTF8.GetBytes(given));

    /// <summary>Records an agent's heartbeat; false when the agent is unknown or its key does not match.</summary>
    public async Task<bool> HeartbeatAsync(string agentId, string key, string url, IReadOnlyList<HostReport> reports, long nowMs, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var agent = await db.Agents.AsTracking().FirstOrDefaultAsync(a => a.Id == agentId, cancellationToken);
        if (agent is null || !KeysMatch(agent.Key, key))
        {
            return false;
        }

        agent.Url = url;
        agent.HeartbeatMs = nowMs;
        var names = reports.Select(r => r.Name).ToList();
        var hosts = await db.Hosts.AsTracking().Where(h => h.AgentId == agentId && names.Contains(h.Name)).ToDictionaryAsync(h => h.Name, cancellationToken);
        if (hosts.Count != reports.Count)
        {
            return false;
        }

        var changed = false;
        foreach (var report in reports)
        {
            changed |= Apply(hosts[report.Name], report, agentId, nowMs);
        }

        try
        {
            await using var transaction = await db.BeginWriteAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            if (changed)
            {
                await CalendarVersion.BumpAsync(db, agent.SiteId, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // a concurrent heartbeat or join won; the next one will land
        }

        return true;
    }

    /// <summary>
    /// Marks ready hosts whose agent has not reported since <paramref name="staleBeforeMs"/> as down. A silent draining
    /// host stays draining (so it is not ready again when its agent reports); host recovery treats it as lost all the same.
    /// </summary>
    public async Task<int> MarkStaleDownAsync(long staleBeforeMs, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var down = await db.Hosts.Where(h => h.State == HostState.Ready && h.HeartbeatMs < staleBeforeMs)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.State, HostState.Down).SetProperty(h => h.Version, h => h.Version + 1), cancellationToken);
        if (down > 0)
        {
            await CalendarVersion.BumpAllAsync(db, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return down;
    }

    public async Task<IReadOnlyList<HostRecord>> ListAsync(string? siteId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var query = db.Hosts.AsQueryable();
        if (siteId is not null)
        {
            query = query.Where(h => h.SiteId == siteId);
        }

        return await query.OrderBy(h => h.Name).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, HostRecord>> GetAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var list = ids.ToList();
        return await db.Hosts.Where(h => list.Contains(h.Id)).ToDictionaryAsync(h => h.Id, StringComparer.Ordinal, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, AgentRecord>> GetAgentsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var list = ids.ToList();
        return await db.Agents.Where(a => list.Contains(a.Id)).ToDictionaryAsync(a => a.Id, StringComparer.Ordinal, cancellationToken);
    }

    /// <summary>True when some agent has this key.</summary>
    public async Task<bool> IsAgentKeyAsync(string key, CancellationToken cancellationToken) =>
        await FindAgentIdByKeyAsync(key, cancellationToken) is not null;

    /// <summary>The id of the agent holding this key, or null.</summary>
    public async Task<string?> FindAgentIdByKeyAsync(string key, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var hash = TokenStore.Hash(key);
        return await db.Agents.Where(a => a.KeyHash == hash).Select(a => a.Id).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AgentRecord>> ListAgentsAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Agents.OrderBy(a => a.Id).ToListAsync(cancellationToken);
    }

    /// <summary>Copies a report onto a host; true when something admission reads changed.</summary>
    private static bool Apply(HostRecord host, HostReport report, string agentId, long nowMs)
    {
        var changed = host.Roles != report.Roles || host.Cpus != report.Cpus || host.MemoryMb != report.MemoryMb
            || host.DiskMb != report.DiskMb || host.State == HostState.Down || host.WanAddress != report.WanAddress
            || host.WanAddresses != report.WanAddresses;
        host.AgentId = agentId;
        host.Roles = report.Roles;
        host.Cpus = report.Cpus;
        host.MemoryMb = report.MemoryMb;
        host.DiskMb = report.DiskMb;
        host.Kvm = report.Kvm;
        host.Address = report.Address;
        host.Driver = report.Driver;
        host.WanAddress = report.WanAddress;
        host.WanAddresses = report.WanAddresses;
        host.HeartbeatMs = nowMs;
        if (host.State == HostState.Down)
        {
            host.State = HostState.Ready;
        }

        return changed;
    }

    /// <summary>What the claims in force at <paramref name="nowMs"/> hold on each host (hosts with none are left out).</summary>
    public async Task<IReadOnlyDictionary<string, HostUsage>> UsageAsync(long nowMs, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Claims.Where(c => c.StartMs <= nowMs && c.EndMs > nowMs)
            .GroupBy(c => c.HostId)
            .Select(g => new HostUsage(g.Key, g.Sum(c => c.Cpus), g.Sum(c => c.MemoryMb), g.Sum(c => c.DiskMb)))
            .ToDictionaryAsync(u => u.HostId, StringComparer.Ordinal, cancellationToken);
    }
}
