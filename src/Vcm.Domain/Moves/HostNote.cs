namespace Vcm.Domain.Moves;

/// <summary>A host and a sentence about it: why a plan leaves it as it is.</summary>
public sealed record HostNote(string HostId, string Reason);
