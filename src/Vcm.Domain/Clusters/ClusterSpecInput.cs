namespace Vcm.Domain.Clusters;

/// <summary>
/// A cluster request as the user wrote it, every field optional and unparsed: the body of POST /api/v1/clusters.
/// Its fields are those of <see cref="ClusterSpec"/> (plus <see cref="Duration"/>), with the same names and syntax.
/// </summary>
public record ClusterSpecInput
{
    public string? Name { get; init; }

    public long? Workers { get; init; }

    public bool? Head { get; init; }

    public long? Cpus { get; init; }

    public string? Memory { get; init; }

    public string? Disk { get; init; }

    public string? Shared { get; init; }

    public string? Image { get; init; }

    public IReadOnlyList<string>? Packages { get; init; }

    public IReadOnlyList<string>? SshKeys { get; init; }

    /// <summary>Users of the creator's tenant whose registered SSH keys the cluster gets too (the creator's it always gets).</summary>
    public IReadOnlyList<string>? KeysOf { get; init; }

    /// <summary><c>none</c> (the default) or <c>slurm</c>.</summary>
    public string? Role { get; init; }

    public IReadOnlyList<ClusterFileInput>? Files { get; init; }

    /// <summary><c>auto</c> (the default: the cost model chooses), <c>layer</c> or <c>boot</c>.</summary>
    public string? Install { get; init; }

    /// <summary><c>now</c> or an ISO 8601 time with an offset.</summary>
    public string? Start { get; init; }

    /// <summary>An ISO 8601 time with an offset.</summary>
    public string? End { get; init; }

    /// <summary>
    /// A flexible start: the latest time the cluster may start, an ISO 8601 time with an offset. vcm starts it at the
    /// earliest time from <see cref="Start"/> to this one at which the whole window (given by <see cref="Duration"/>)
    /// fits at this site; the spec then holds that start.
    /// </summary>
    public string? LatestStart { get; init; }

    /// <summary>How long from the start, like <c>2h</c> or <c>7d</c>; instead of <see cref="End"/>.</summary>
    public string? Duration { get; init; }

    public IReadOnlyList<string>? Sites { get; init; }

    public string? Policy { get; init; }

    public string? Subnet { get; init; }

    /// <summary>A rate limit for the cluster's VPN between sites, like 100M (Mbit/s).</summary>
    public string? WanRate { get; init; }
}
