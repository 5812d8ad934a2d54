using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Vcm.Domain.Common;
using Vcm.Store.Auth;
using Vcm.Store.Records;

namespace Vcm.Store.Federation;

/// <summary>The sites this site federates with, and the keys each side presents to the other.</summary>
public sealed class PeerStore(Database database)
{
    public async Task<IReadOnlyList<PeerRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Peers.OrderBy(p => p.Name).ToListAsync(cancellationToken);
    }

    public async Task<PeerRecord?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Peers.FirstOrDefaultAsync(p => p.Name == name, cancellationToken);
    }

    /// <summary>Adds the peer or replaces its URL and keys (a new key exchange with the same site).</summary>
    public async Task<PeerRecord> SaveAsync(string name, string url, string ourKey, string theirKey, string? caCertificate, long nowMs, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var peer = await db.Peers.AsTracking().FirstOrDefaultAsync(p => p.Name == name, cancellationToken);
        if (peer is null)
        {
            peer = new PeerRecord { Id = Ids.New(), Name = name, Url = url, OurKey = ourKey, TheirKeyHash = TokenStore.Hash(theirKey), CaCertificate = caCertificate, AddedMs = nowMs, Version = 1 };
            db.Peers.Add(peer);
        }
        else
        {
            peer.Url = url;
            peer.OurKey = ourKey;
            peer.TheirKeyHash = TokenStore.Hash(theirKey);
            peer.CaCertificate = caCertificate;
        }

        await db.SaveChangesAsync(cancellationToken);
        return peer;
    }

    public async Task<bool> RemoveAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var removed = await db.Peers.Where(p => p.Name == name).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return removed > 0;
    }

    /// <summary>The peer that presented this key as site <paramref name="name"/>, or null.</summary>
    public async Task<PeerRecord?> AuthenticateAsync(string name, string key, CancellationToken cancellationToken)
    {
        var peer = await FindAsync(name, cancellationToken);
        return peer is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(peer.TheirKeyHash), Encoding.ASCII.GetBytes(TokenStore.Hash(key)))
            ? peer
            : null;
    }
}
