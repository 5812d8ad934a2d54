namespace Vcm.Agent.Linux.Images;

/// <summary>One file of an image as its manifest lists it: the SHA-256 (hex) and size in bytes it must have.</summary>
public sealed record ImageManifestFile(string Sha256, long Size);
