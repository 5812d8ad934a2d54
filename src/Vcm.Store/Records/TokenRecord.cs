namespace Vcm.Store.Records;

/// <summary>An API or join token, kept only as a SHA-256 hash.</summary>
public sealed class TokenRecord
{
    public required string Id { get; set; }

    /// <summary>admin (the first provider's, from DATA/admin.token), user, session (a browser's), or join.</summary>
    public required string Kind { get; set; }

    public required string Hash { get; set; }

    public long CreatedMs { get; set; }

    public long? ExpiresMs { get; set; }

    /// <summary>The user an admin or user token signs in as.</summary>
    public string? UserId { get; set; }

    /// <summary>What its owner called it (a user token).</summary>
    public string? Name { get; set; }

    /// <summary>A web session started through an OpenID provider: the provider's id token (for its end-session endpoint).</summary>
    public string? IdToken { get; set; }
}
