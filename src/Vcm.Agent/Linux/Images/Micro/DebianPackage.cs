namespace Vcm.Agent.Linux.Images.Micro;

/// <summary>A Debian package fetched into the cache and unpacked (dpkg-deb -x) under <see cref="Root"/>.</summary>
public sealed record DebianPackage(string Name, string Version, string Root)
{
    /// <summary>Where a path of the package (absolute, as installed: "/usr/sbin/dropbear") lies on this machine.</summary>
    public string Local(string path) => Path.Combine(Root, path.TrimStart('/'));
}
