namespace Vcm.Manager.Configuration;

/// <summary>How the controllers pace themselves.</summary>
public sealed record ControllerOptions
{
    /// <summary>Whether this manager runs controllers at all (an API-only manager does not).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>How many clusters one manager reconciles at once.</summary>
    public int Workers { get; init; } = 8;

    /// <summary>How often the database is asked for due work.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a claim on a cluster lasts without renewal; a dead manager's work moves after this.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a ready cluster's VMs are checked.</summary>
    public TimeSpan ReadyRecheck { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long provisioning may keep failing before the cluster is marked failed.</summary>
    public TimeSpan ProvisionDeadline { get; init; } = TimeSpan.FromMinutes(30);

    public TimeSpan RetryBase { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryMax { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A part built here for another site's cluster is released when its home has not asked about it for this long.</summary>
    public TimeSpan PartLease { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a new cluster with parts at other sites may wait for them to be admitted before its controller
    /// withdraws it (its manager died while asking the peers).</summary>
    public TimeSpan PartsDeadline { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the watch feed compares every live cluster's version, for changes made by another manager
    /// sharing the database (this manager's own changes are signalled at once).</summary>
    public TimeSpan WatchRecheck { get; init; } = TimeSpan.FromSeconds(5);
}
