namespace Vcm.Store.Records;

/// <summary>A layer build: what it installed, the layer's size, its actual and estimated duration.</summary>
public sealed class LayerBuildRecord
{
    public required string Id { get; set; }

    public required string Layer { get; set; }

    public required string Image { get; set; }

    public int Packages { get; set; }

    public long Bytes { get; set; }

    /// <summary>What the packages unpack to (KiB); 0 when unknown.</summary>
    public long InstalledKib { get; set; }

    public long DurationMs { get; set; }

    public long? EstimatedMs { get; set; }

    public long AtMs { get; set; }
}
