namespace Vcm.Api;

/// <summary>The body of POST /api/v1/clusters. Sizes are text like "512M"; start is "now" or an ISO 8601 time.</summary>
public sealed record ClusterCreateRequest
{
    public string? Name { get; init; }

    public int? Workers { get; init; }

    public bool? Head { get; init; }

    public int? Cpus { get; init; }

    public string? Memory { get; init; }

    public string? Disk { get; init; }

    public string? Shared { get; init; }

    public string? Image { get; init; }

    public IReadOnlyList<string>? Packages { get; init; }

    public IReadOnlyList<string>? SshKeys { get; init; }

    public string? Start { get; init; }

    public string? End { get; init; }

    public string? Duration { get; init; }

    public IReadOnlyList<string>? Sites { get; init; }

    public string? Policy { get; init; }

    public string? Subnet { get; init; }

    /// <summary>A rate limit for the cluster's VPN between sites, like "100M" (Mbit/s).</summary>
    public string? WanRate { get; init; }
}
