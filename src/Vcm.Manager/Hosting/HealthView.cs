namespace Vcm.Manager.Hosting;

/// <summary>What GET /healthz answers.</summary>
public sealed record HealthView(string Status, string Site, string Manager);
