namespace Vcm.Api;

/// <summary>Makes a tenant; <see cref="Quota"/> as `--quota` takes it: nodes=64,vcpus=256,memory=512G,shared=1T,node-hours=10000.</summary>
public sealed record TenantCreateRequest(string? Name, string? Quota);
