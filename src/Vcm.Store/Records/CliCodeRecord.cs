namespace Vcm.Store.Records;

/// <summary>A one-time code `vcm login --web` trades for an API token, kept as a SHA-256 hash.</summary>
public sealed class CliCodeRecord
{
    public required string Hash { get; set; }

    public required string UserId { get; set; }

    /// <summary>base64url(SHA-256(verifier)): only the CLI that asked knows the verifier.</summary>
    public required string Challenge { get; set; }

    public long CreatedMs { get; set; }

    public long ExpiresMs { get; set; }
}
