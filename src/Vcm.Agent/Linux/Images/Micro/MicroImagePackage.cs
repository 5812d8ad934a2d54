namespace Vcm.Agent.Linux.Images.Micro;

/// <summary>A Debian package an image was built from, at the version used.</summary>
public sealed record MicroImagePackage(string Name, string Version);
