namespace Vcm.Api;

/// <summary>A tenant's limits (null: none): nodes, vCPUs, memory and shared-volume size at any moment; node-hours per calendar month.</summary>
public sealed record QuotaView(long? Nodes, long? Vcpus, string? Memory, string? Shared, long? NodeHours, string Text);
