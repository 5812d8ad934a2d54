namespace Vcm.Manager.Configuration;

/// <summary>This manager's name in leases and events.</summary>
public sealed record ManagerIdentity(string Id);
