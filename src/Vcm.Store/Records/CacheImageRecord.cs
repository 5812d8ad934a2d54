using Vcm.Domain.Packages;

namespace Vcm.Store.Records;

/// <summary>An image's cache image: its frequent package set (comma-separated), the layer built for it, its state.</summary>
public sealed class CacheImageRecord
{
    public required string Image { get; set; }

    public required string Packages { get; set; }

    public string? Layer { get; set; }

    public required CacheImageState State { get; set; }

    public string? Reason { get; set; }

    /// <summary>How many requests the set was made from.</summary>
    public int Requests { get; set; }

    public long UpdatedMs { get; set; }

    public long Version { get; set; }
}
