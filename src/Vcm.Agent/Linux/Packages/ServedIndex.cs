namespace Vcm.Agent.Linux.Packages;

/// <summary>A binary index the repository serves: its apt target, SHA-256 (as its InRelease lists it) and the uncompressed copy.</summary>
public sealed record ServedIndex(AptTarget Target, string Sha256, string Path);
