namespace Vcm.Drivers.Packages;

/// <summary>What a path of the site's package repository names.</summary>
public enum ArchivePathKind
{
    /// <summary><c>suites</c>: the repository's suites, one line each (<c>ARCHIVE SUITE COMPONENT…</c>).</summary>
    Suites,

    /// <summary><c>ARCHIVE/dists/SUITE/InRelease</c>: the archive's own signed release file.</summary>
    Release,

    /// <summary><c>ARCHIVE/dists/SUITE/COMPONENT/binary-ARCH/Packages</c>, uncompressed, as the release file lists it.</summary>
    Index,

    /// <summary><c>ARCHIVE/dists/SUITE/COMPONENT/binary-ARCH/by-hash/SHA256/HASH</c>: the same index, by its hash.</summary>
    IndexByHash,

    /// <summary><c>ARCHIVE/pool/…/NAME.deb</c>: a package, at the path the index gives it.</summary>
    Deb,
}
