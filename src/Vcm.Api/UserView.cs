namespace Vcm.Api;

/// <summary>A user: its tenant (none for a provider), its role and how many SSH keys it registered.</summary>
public sealed record UserView(string Name, string? Tenant, string Role, int Keys, DateTimeOffset CreatedAt);
