namespace Vcm.Api;

/// <summary>The normalised spec of a cluster.</summary>
public sealed record ClusterSpecView
{
    public required int Workers { get; init; }

    public required bool Head { get; init; }

    public required int Cpus { get; init; }

    public required string Memory { get; init; }

    public required string Disk { get; init; }

    public string? Shared { get; init; }

    public required string Image { get; init; }

    public IReadOnlyList<string> Packages { get; init; } = [];

    public int SshKeys { get; init; }

    public IReadOnlyList<string> Sites { get; init; } = [];

    public required string Policy { get; init; }
}
