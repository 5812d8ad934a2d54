namespace Vcm.Domain.Scheduling;

/// <summary>Where each node goes, which hosts serve as gateway and storage, and the claims that hold it all.</summary>
public sealed record Placement(
    IReadOnlyDictionary<string, string> NodeHosts,
    string GatewayHostId,
    string? StorageHostId,
    IReadOnlyList<Claim> Claims);
