namespace Vcm.Manager.Hosting;

/// <summary>This manager's name in leases and events.</summary>
public sealed record ManagerIdentity(string Id);
