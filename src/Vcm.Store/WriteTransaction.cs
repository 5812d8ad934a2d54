using System.Data.Common;
using Microsoft.EntityFrameworkCore.Storage;

namespace Vcm.Store;

/// <summary>A write transaction of one context, holding the SQLite write gate (if any) until disposed.</summary>
public sealed class WriteTransaction(IDbContextTransaction transaction, IDisposable? gate) : IAsyncDisposable
{
    public DbTransaction DbTransaction => transaction.GetDbTransaction();

    public Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

    public Task RollbackAsync(CancellationToken cancellationToken) => transaction.RollbackAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await transaction.DisposeAsync();
        }
        finally
        {
            gate?.Dispose();
        }
    }
}
