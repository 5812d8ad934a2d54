namespace Vcm.Api;

public sealed record NodeView(
    string Name,
    string Role,
    string Host,
    string Site,
    string? Ip,
    string Mac,
    string State,
    string? Detail,
    string? HostKeyFingerprint = null);
