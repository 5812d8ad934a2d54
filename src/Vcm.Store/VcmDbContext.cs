using System.Text;
using Microsoft.EntityFrameworkCore;
using Vcm.Store.Auth;
using Vcm.Store.Records;
using Vcm.Store.Secrets;

namespace Vcm.Store;

/// <summary>The database: tables and columns in snake_case, the same model on SQLite and PostgreSQL.</summary>
public sealed class VcmDbContext(DbContextOptions<VcmDbContext> options, WriteGate? gate = null, SiteSecrets? secrets = null) : DbContext(options)
{
    /// <summary>The key the secret columns are read and written with (part of the model: see <see cref="SecretColumns"/>).</summary>
    public SiteSecrets Secrets { get; } = secrets ?? SiteSecrets.Unavailable;

    public DbSet<SiteRecord> Sites => Set<SiteRecord>();

    public DbSet<AgentRecord> Agents => Set<AgentRecord>();

    public DbSet<HostRecord> Hosts => Set<HostRecord>();

    public DbSet<ClusterRecord> Clusters => Set<ClusterRecord>();

    public DbSet<NodeRecord> Nodes => Set<NodeRecord>();

    public DbSet<ClaimRecord> Claims => Set<ClaimRecord>();

    public DbSet<MigrationRecord> Migrations => Set<MigrationRecord>();

    public DbSet<SeriesRecord> Series => Set<SeriesRecord>();

    public DbSet<EventRecord> Events => Set<EventRecord>();

    public DbSet<TokenRecord> Tokens => Set<TokenRecord>();

    public DbSet<ImageRecord> Images => Set<ImageRecord>();

    public DbSet<PeerRecord> Peers => Set<PeerRecord>();

    public DbSet<ClusterPartRecord> ClusterParts => Set<ClusterPartRecord>();

    public DbSet<PackageRequestRecord> PackageRequests => Set<PackageRequestRecord>();

    public DbSet<LayerBuildRecord> LayerBuilds => Set<LayerBuildRecord>();

    public DbSet<ImageFetchRecord> ImageFetches => Set<ImageFetchRecord>();

    public DbSet<InstallSampleRecord> InstallSamples => Set<InstallSampleRecord>();

    public DbSet<CacheImageRecord> CacheImages => Set<CacheImageRecord>();

    public DbSet<TenantRecord> Tenants => Set<TenantRecord>();

    public DbSet<UserRecord> Users => Set<UserRecord>();

    public DbSet<UserKeyRecord> UserKeys => Set<UserKeyRecord>();

    public DbSet<AuditRecord> Audit => Set<AuditRecord>();

    public DbSet<CliCodeRecord> CliCodes => Set<CliCodeRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<SiteRecord>().ToTable("sites");
        modelBuilder.Entity<AgentRecord>().ToTable("agents");
        modelBuilder.Entity<HostRecord>().ToTable("hosts");
        modelBuilder.Entity<ClusterRecord>().ToTable("clusters");
        modelBuilder.Entity<NodeRecord>().ToTable("nodes");
        modelBuilder.Entity<ClaimRecord>().ToTable("claims");
        modelBuilder.Entity<MigrationRecord>().ToTable("migrations");
        modelBuilder.Entity<SeriesRecord>().ToTable("series");
        modelBuilder.Entity<EventRecord>().ToTable("events");
        modelBuilder.Entity<TokenRecord>().ToTable("tokens");
        modelBuilder.Entity<ImageRecord>().ToTable("images").HasKey(i => i.Name);
        modelBuilder.Entity<PeerRecord>().ToTable("peers");
        modelBuilder.Entity<ClusterPartRecord>().ToTable("cluster_parts");
        modelBuilder.Entity<PackageRequestRecord>().ToTable("package_requests").HasKey(r => r.ClusterId);
        modelBuilder.Entity<LayerBuildRecord>().ToTable("layer_builds");
        modelBuilder.Entity<ImageFetchRecord>().ToTable("image_fetches");
        modelBuilder.Entity<InstallSampleRecord>().ToTable("install_samples");
        modelBuilder.Entity<CacheImageRecord>().ToTable("cache_images").HasKey(c => c.Image);
        modelBuilder.Entity<TenantRecord>().ToTable("tenants");
        modelBuilder.Entity<UserRecord>().ToTable("users");
        modelBuilder.Entity<UserKeyRecord>().ToTable("user_keys");
        modelBuilder.Entity<AuditRecord>().ToTable("audit");
        modelBuilder.Entity<CliCodeRecord>().ToTable("cli_codes").HasKey(c => c.Hash);

        StoredAs.Configure(modelBuilder);
        SecretColumns.Configure(modelBuilder, Secrets);
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.Name));
                if (property.Name == "Version")
                {
                    property.IsConcurrencyToken = true;
                }
            }
        }
    }

    /// <summary>
    /// Begins a write transaction, first queueing at the SQLite write gate when there is one. Not an async method, so
    /// that the gate's record of its holder reaches the caller (see <see cref="WriteGate"/>).
    /// </summary>
    public Task<WriteTransaction> BeginWriteAsync(CancellationToken cancellationToken) =>
        BeginAsync(gate?.EnterAsync(cancellationToken), cancellationToken);

    private async Task<WriteTransaction> BeginAsync(Task<IDisposable>? entering, CancellationToken cancellationToken)
    {
        var held = entering is null ? null : await entering;
        try
        {
            return new WriteTransaction(await Database.BeginTransactionAsync(cancellationToken), held);
        }
        catch
        {
            held?.Dispose();
            throw;
        }
    }

    /// <summary>Saves; outside a write transaction the save queues at the SQLite write gate itself.</summary>
    public override async Task<int> SaveChangesAsync(CancellationToken cancellationToken = default)
    {
        if (gate is null || Database.CurrentTransaction is not null)
        {
            return await SaveVersionedAsync(cancellationToken);
        }

        using var held = await gate.EnterAsync(cancellationToken);
        return await SaveVersionedAsync(cancellationToken);
    }

    /// <summary>
    /// Bumps the version of every modified row, so the update checks the version it read; keeps each agent's key hash
    /// (by which a presented key is found, the key itself being encrypted) that of its key.
    /// </summary>
    private Task<int> SaveVersionedAsync(CancellationToken cancellationToken)
    {
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry is { State: EntityState.Added or EntityState.Modified, Entity: AgentRecord agent })
            {
                agent.KeyHash = TokenStore.Hash(agent.Key);
            }

            if (entry.State == EntityState.Modified && entry.Metadata.FindProperty("Version") is { } version)
            {
                var property = entry.Property(version.Name);
                property.CurrentValue = (long)property.OriginalValue! + 1;
            }
        }

        return base.SaveChangesAsync(cancellationToken);
    }

    public static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
