namespace Vcm.Store.Records;

/// <summary>An API or join token, kept only as a SHA-256 hash.</summary>
public sealed class TokenRecord
{
    public required string Id { get; set; }

    /// <summary>admin or join.</summary>
    public required string Kind { get; set; }

    public required string Hash { get; set; }

    public long CreatedMs { get; set; }

    public long? ExpiresMs { get; set; }
}
