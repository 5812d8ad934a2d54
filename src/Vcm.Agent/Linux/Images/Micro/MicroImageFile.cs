namespace Vcm.Agent.Linux.Images.Micro;

/// <summary>One file of a built image: its name in the image's folder, SHA-256 (lowercase hex) and size in bytes.</summary>
public sealed record MicroImageFile(string Name, string Sha256, long Size);
