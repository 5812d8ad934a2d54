using Microsoft.EntityFrameworkCore;
using Vcm.Domain.Hosts;
using Vcm.Domain.Scheduling;
using Vcm.Domain.Text;
using Vcm.Store.Records;
using Vcm.Store.Sites;
using Vcm.Store.Tenancy;

namespace Vcm.Store.Admission;

/// <summary>
/// One admission's transaction (see <see cref="AdmissionStore.BeginAsync"/>): reads the calendar, picks free ports,
/// stores the admitted cluster with its nodes, claims, events and parts, and commits — or, disposed without a
/// commit, leaves nothing behind.
/// </summary>
public sealed partial class AdmissionTransaction : IAsyncDisposable
{
    private static readonly string[] NodeColumns =
        ["id", "cluster_id", "name", "role", "idx", "host_id", "remote_host", "site", "mac", "ip", "state", "detail", "version", "token", "ssh_port",
         "host_key", "host_key_fingerprint", "host_key_private"];

    private static readonly string[] ClaimColumns =
        ["id", "cluster_id", "host_id", "start_ms", "end_ms", "cpus", "memory_mb", "disk_mb"];

    private readonly VcmDbContext _db;
    private readonly WriteTransaction _transaction;
    private readonly string _siteId;

    private AdmissionTransaction(VcmDbContext db, WriteTransaction transaction, string siteId, long version)
    {
        _db = db;
        _transaction = transaction;
        _siteId = siteId;
        Version = version;
    }

    /// <summary>The site's calendar version after this admission's bump: a calendar read at Version - 1 is current.</summary>
    public long Version { get; }

    internal static async Task<AdmissionTransaction> BeginAsync(Database database, string siteId, CancellationToken cancellationToken)
    {
        var db = database.CreateContext();
        WriteTransaction? transaction = null;
        try
        {
            transaction = await db.BeginWriteAsync(cancellationToken);
            var version = await CalendarVersion.BumpAsync(db, siteId, cancellationToken);
            return new AdmissionTransaction(db, transaction, siteId, version);
        }
        catch
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }

            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>The site's ready hosts, and every claim that ends after <paramref name="fromMs"/> (all that can matter for a window starting then).</summary>
    public Task<(IReadOnlyList<HostCapacity> Hosts, IReadOnlyList<Claim> Claims)> CalendarAsync(long fromMs, CancellationToken cancellationToken) =>
        ReadCalendarAsync(_db, _siteId, fromMs, cancellationToken);

    /// <summary>What <see cref="CalendarAsync"/> reads, in any context (a read of the calendar outside an admission too).</summary>
    internal static async Task<(IReadOnlyList<HostCapacity> Hosts, IReadOnlyList<Claim> Claims)> ReadCalendarAsync(
        VcmDbContext db, string siteId, long fromMs, CancellationToken cancellationToken)
    {
        var siteNames = await db.Sites.ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);
        var hosts = await db.Hosts.Where(h => h.SiteId == siteId && h.State == HostState.Ready).ToListAsync(cancellationToken);
        var claims = await db.Claims.Where(c => c.EndMs > fromMs).ToListAsync(cancellationToken);
        return (
            hosts.Select(h => new HostCapacity(h.Id, h.Name, siteNames[h.SiteId], new Resources(h.Cpus, h.MemoryMb, h.DiskMb), (HostRoles)h.Roles)).ToList(),
            claims.Select(c => new Claim(
                c.ClusterId, c.HostId, DateTimeOffset.FromUnixTimeMilliseconds(c.StartMs), DateTimeOffset.FromUnixTimeMilliseconds(c.EndMs),
                new Resources(c.Cpus, c.MemoryMb, c.DiskMb))).ToList());
    }

    /// <summary>A tenant and its clusters that can count against its quota from <paramref name="sinceMs"/> on (live ones, and final ones whose window reaches past it).</summary>
    public async Task<(TenantRecord? Tenant, IReadOnlyList<QuotaHolding> Clusters)> TenantAsync(string tenantId, long sinceMs, CancellationToken cancellationToken) =>
        (await _db.Tenants.FirstOrDefaultAsync(t => t.Id == tenantId, cancellationToken),
         await QuotaHolding.Of(_db.Clusters, tenantId, sinceMs).ToListAsync(cancellationToken));

    public Task<HostRecord?> HostAsync(string id, CancellationToken cancellationToken) =>
        _db.Hosts.FirstOrDefaultAsync(h => h.Id == id, cancellationToken);

    /// <summary>The lowest <paramref name="count"/> ports from <paramref name="first"/> that no live part's VPN server end at this site uses.</summary>
    public async Task<IReadOnlyList<int>> FreeServerPortsAsync(int first, int count, CancellationToken cancellationToken) =>
        Lowest(first, count, await _db.ClusterParts.Where(p => p.VpnPort != null).Select(p => p.VpnPort!.Value).ToListAsync(cancellationToken));

    /// <summary>The lowest port from <paramref name="first"/> that no live part's VPN client end at this site uses.</summary>
    public async Task<int> FreeClientPortAsync(int first, CancellationToken cancellationToken) =>
        Lowest(first, 1, await _db.Clusters.Where(c => c.SiteId == _siteId && c.VpnPort != null).Select(c => c.VpnPort!.Value).ToListAsync(cancellationToken))[0];

    private static List<int> Lowest(int first, int count, IEnumerable<int> used)
    {
        var taken = used.ToHashSet();
        var ports = new List<int>(count);
        for (var port = first; ports.Count < count; port++)
        {
            if (!taken.Contains(port))
            {
                ports.Add(port);
            }
        }

        return ports;
    }

    /// <summary>Stores an admitted cluster with its nodes, claims, events and parts (not yet committed).</summary>
    public async Task InsertAsync(
        ClusterRecord cluster, IReadOnlyList<NodeRecord> nodes, IReadOnlyList<ClaimRecord> claims, IReadOnlyList<EventRecord> events,
        IReadOnlyList<ClusterPartRecord> parts, CancellationToken cancellationToken)
    {
        _db.Clusters.Add(cluster);
        _db.Events.AddRange(events);
        await _db.SaveChangesAsync(cancellationToken);
        if (parts.Count > 0)
        {
            // after the cluster row (the model has no navigation that would order them)
            _db.ClusterParts.AddRange(parts);
            await _db.SaveChangesAsync(cancellationToken);
        }

        await InsertRowsAsync(nodes, claims, cancellationToken);
    }

    private async Task InsertRowsAsync(IReadOnlyList<NodeRecord> nodes, IReadOnlyList<ClaimRecord> claims, CancellationToken cancellationToken)
    {
        // raw rows, so the node tokens and host keys are encrypted here (EF's converters encrypt what goes through the model)
        var connection = _db.Database.GetDbConnection();
        await BulkInsert.RunAsync(connection, _transaction.DbTransaction, "nodes", NodeColumns, nodes, n =>
        [
            n.Id, n.ClusterId, n.Name, EnumText.Lower(n.Role), n.Idx, n.HostId, n.RemoteHost, n.Site, n.Mac, n.Ip, EnumText.Lower(n.State), n.Detail,
            n.Version, n.Token is null ? null : _db.Secrets.Protect(n.Token), n.SshPort,
            n.HostKey, n.HostKeyFingerprint, n.HostKeyPrivate is null ? null : _db.Secrets.Protect(n.HostKeyPrivate),
        ], cancellationToken);
        await BulkInsert.RunAsync(connection, _transaction.DbTransaction, "claims", ClaimColumns, claims, c =>
            [c.Id, c.ClusterId, c.HostId, c.StartMs, c.EndMs, c.Cpus, c.MemoryMb, c.DiskMb], cancellationToken);
    }

    /// <summary>Stores a series row (not yet committed), before the clusters of its occurrences that name it.</summary>
    public async Task InsertSeriesAsync(SeriesRecord series, CancellationToken cancellationToken)
    {
        _db.Series.Add(series);
        await _db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Records a create's package set with the cluster (not yet committed): the history cache images are made from.</summary>
    public async Task AddRequestAsync(PackageRequestRecord request, CancellationToken cancellationToken)
    {
        _db.PackageRequests.Add(request);
        await _db.SaveChangesAsync(cancellationToken);
    }

    public Task CommitAsync(CancellationToken cancellationToken) => _transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _db.DisposeAsync();
    }
}
