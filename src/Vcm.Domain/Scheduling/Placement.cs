namespace Vcm.Domain.Scheduling;

/// <summary>
/// Where each node goes, which hosts serve as gateway and storage, and the claims that hold it all from
/// <see cref="Start"/> (the request's start, or the one a flexible start chose) for the request's length.
/// </summary>
public sealed record Placement(
    IReadOnlyDictionary<string, string> NodeHosts,
    string GatewayHostId,
    string? StorageHostId,
    IReadOnlyList<Claim> Claims,
    DateTimeOffset Start);
