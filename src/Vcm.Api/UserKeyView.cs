namespace Vcm.Api;

/// <summary>An SSH public key a user registered.</summary>
public sealed record UserKeyView(string Name, string Fingerprint, string PublicKey, DateTimeOffset CreatedAt);
