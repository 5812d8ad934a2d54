namespace Vcm.Api;

/// <summary>A user's API token; <see cref="Secret"/> only in the answer that made it (it is stored as a hash only).</summary>
public sealed record TokenView(string Id, string? Name, string User, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string? Secret = null);
