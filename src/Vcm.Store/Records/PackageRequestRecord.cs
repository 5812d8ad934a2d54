namespace Vcm.Store.Records;

/// <summary>A cluster create's package set (packages comma-separated, sorted), kept after the cluster is gone.</summary>
public sealed class PackageRequestRecord
{
    public required string ClusterId { get; set; }

    public required string Image { get; set; }

    public required string Packages { get; set; }

    public long AtMs { get; set; }
}
