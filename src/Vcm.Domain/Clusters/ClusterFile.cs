namespace Vcm.Domain.Clusters;

/// <summary>
/// A file the tenant puts onto the head node during the build (<c>--file LOCAL:REMOTE</c>): its absolute path on the
/// head, its permission bits in octal (e.g. <c>0644</c>), and its content in base64. Owned by root; missing parent
/// folders are made.
/// </summary>
public sealed record ClusterFile(string Path, string Mode, string Content);

/// <summary>A file of a create request as given: every field optional and unchecked.</summary>
public sealed record ClusterFileInput
{
    public string? Path { get; init; }

    /// <summary>Octal permission bits, like 0644 (the default) or 0755.</summary>
    public string? Mode { get; init; }

    /// <summary>The content, base64.</summary>
    public string? Content { get; init; }
}
