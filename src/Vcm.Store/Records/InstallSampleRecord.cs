namespace Vcm.Store.Records;

/// <summary>A node's install at boot as it reported it: packages installed, how long, apt's exit code.</summary>
public sealed class InstallSampleRecord
{
    public required string Id { get; set; }

    public required string ClusterId { get; set; }

    public required string Node { get; set; }

    /// <summary>What the node booted from (the base image or a cache image).</summary>
    public required string Image { get; set; }

    public int Packages { get; set; }

    public long DurationMs { get; set; }

    public int Rc { get; set; }

    public long AtMs { get; set; }
}
