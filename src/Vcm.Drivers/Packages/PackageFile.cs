namespace Vcm.Drivers.Packages;

/// <summary>A file of the site's package repository, complete on this machine: where it is and how long.</summary>
public sealed record PackageFile(string Path, long Length);
