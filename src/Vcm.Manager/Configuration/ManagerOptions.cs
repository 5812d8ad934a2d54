using Vcm.Domain.Packages;
using Vcm.Store;

namespace Vcm.Manager.Configuration;

/// <summary>How a manager runs. Checked at start by <see cref="ManagerOptionsValidator"/>.</summary>
public sealed record ManagerOptions
{
    /// <summary>Where the manager keeps its files: the SQLite database, the admin token.</summary>
    public required string DataDirectory { get; init; }

    public string Listen { get; init; } = "http://127.0.0.1:8710";

    /// <summary>The URL peers reach this manager at (told them at `vcm peer add`); null: the first --listen URL.</summary>
    public string? AdvertiseUrl { get; init; }

    public string EffectiveAdvertiseUrl => AdvertiseUrl ?? Listen.Split(';')[0];

    /// <summary>The database; null means SQLite at DataDirectory/vcm.db.</summary>
    public StoreOptions? Store { get; init; }

    /// <summary>
    /// The site's key folder (docs/architecture.md, "Secrets"); null means DataDirectory/keys. Managers that share
    /// one database must share it (a copy of the folder, or the same folder).
    /// </summary>
    public string? KeyDirectory { get; init; }

    public string EffectiveKeyDirectory => KeyDirectory ?? Path.Combine(DataDirectory, "keys");

    public string SiteName { get; init; } = "local";

    public int VniFirst { get; init; } = 1000;

    public int VniLast { get; init; } = 99_999;

    /// <summary>The site's external network; null: gateways have no external side (simulated sites).</summary>
    public ExternalNetworkOptions? External { get; init; }

    /// <summary>Where clusters' default subnets come from: each gets the first free /24 (or larger block) of it.</summary>
    public string SubnetPool { get; init; } = "10.0.0.0/8";

    /// <summary>The site's image store (base images agents fetch): DATA/images unless set.</summary>
    public string? ImageDirectory { get; init; }

    /// <summary>Build the micro image into the store at start when it is missing (sites with real hosts).</summary>
    public bool BuildImages { get; init; }

    public string EffectiveImageDirectory => ImageDirectory ?? Path.Combine(DataDirectory, "images");

    /// <summary>This manager's name in leases; stable across restarts so it can take back its own work at once.</summary>
    public string? ManagerId { get; init; }

    public ControllerOptions Controllers { get; init; } = new();

    /// <summary>Which packages go into cache images (M% of the last N requests).</summary>
    public CacheImageOptions CacheImages { get; init; } = new();

    /// <summary>What the cost model of package sets assumes until the site has measured it.</summary>
    public CostDefaults Costs { get; init; } = new();

    /// <summary>
    /// How many live migrations a host may be the source or destination of at once when the manager moves nodes itself
    /// (a drain, a consolidation): parallel migrations lengthen each one's pause. 1, like Nova's default.
    /// </summary>
    public int MigrationsPerHost { get; init; } = 1;

    /// <summary>A host whose agent has not reported for this long is marked down.</summary>
    public TimeSpan HostDownAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// After the manager (re)starts, what agents get besides <see cref="HostDownAfter"/> to report before any host is
    /// marked down and fenced (a restarted agent may join anew). A lab, whose agents start beside it, uses 15 s.
    /// </summary>
    public TimeSpan HostStartGrace { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The provider's fence command (docs/architecture.md, "Fencing"): run before a lost host's nodes are recovered,
    /// with VCM_HOST, VCM_HOST_ADDRESS and VCM_SITE set; exit 0 = fenced. Null: no fence (recovery waits).
    /// </summary>
    public string? FenceCommand { get; init; }

    /// <summary>How long the fence command may run; past it, it is ended and the host is not fenced.</summary>
    public TimeSpan FenceTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the certificates the site's CA issues (the manager's own, agents') are valid; each is renewed when a third is left.</summary>
    public TimeSpan CertificateLifetime { get; init; } = TimeSpan.FromDays(30);

    /// <summary>How often the manager checks whether its own certificate is due for renewal.</summary>
    public TimeSpan CertificateCheckInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Single sign-on through an OpenID Connect provider; null: local accounts and API tokens only.</summary>
    public OidcOptions? Oidc { get; init; }

    public StoreOptions EffectiveStore => Store ?? StoreOptions.SqliteFile(Path.Combine(DataDirectory, "vcm.db"));
}
