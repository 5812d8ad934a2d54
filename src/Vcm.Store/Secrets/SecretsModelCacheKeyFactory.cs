using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Vcm.Store.Secrets;

/// <summary>
/// The model holds the site key's converters (<see cref="SecretColumns"/>), so EF Core keeps one model per key: a
/// context for another site's key (a test's, a tool's) never reads with a model built for this one.
/// </summary>
internal sealed class SecretsModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime) =>
        (context.GetType(), context is VcmDbContext vcm ? vcm.Secrets : null, designTime);
}
