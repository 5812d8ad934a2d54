namespace Vcm.Domain.Moves;

/// <summary>Where a lost piece goes: a host, or null and the reason no host could take it.</summary>
public sealed record Rehomed(LostPiece Piece, string? HostId, string? Reason);
