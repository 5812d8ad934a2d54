using Vcm.Agent.Linux.Packages;
using Vcm.Drivers.Packages;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Packages;

/// <summary>The repository's paths: only what apt asks for, nothing that climbs out; apt's own files read right.</summary>
public sealed class ArchivePathTests
{
    private const string Hash = "515e692f2c4121c6fcec444ef100cc18f79a991910615f3a88c8b7becfc94d2f";

    [Fact]
    public void Parse_TheShapesAptAsksFor()
    {
        Assert.Equal(ArchivePathKind.Suites, ArchivePath.Parse("suites")!.Kind);
        var release = ArchivePath.Parse("debian/dists/bookworm/InRelease")!;
        Assert.Equal((ArchivePathKind.Release, "debian", "bookworm"), (release.Kind, release.Archive, release.Suite));
        var index = ArchivePath.Parse("debian-security/dists/bookworm-security/main/binary-amd64/Packages")!;
        Assert.Equal((ArchivePathKind.Index, "main/binary-amd64/Packages"), (index.Kind, index.MetaKey));
        var byHash = ArchivePath.Parse($"debian/dists/bookworm/main/binary-amd64/by-hash/SHA256/{Hash}")!;
        Assert.Equal((ArchivePathKind.IndexByHash, Hash), (byHash.Kind, byHash.Sha256));
        Assert.True(byHash.Immutable);
        var deb = ArchivePath.Parse("debian/pool/main/h/hello/hello_2.10-3_amd64.deb")!;
        Assert.Equal((ArchivePathKind.Deb, "pool/main/h/hello/hello_2.10-3_amd64.deb"), (deb.Kind, deb.PoolFile));
        Assert.False(release.Immutable);
    }

    [Theory]
    [InlineData("")]
    [InlineData("debian/dists/bookworm/Release")]
    [InlineData("debian/dists/bookworm/main/binary-amd64/Packages.xz")]
    [InlineData("debian/dists/bookworm/main/binary-amd64/by-hash/SHA256/abc")]
    [InlineData("debian/pool/../../etc/shadow.deb")]
    [InlineData("debian/pool/main/h/hello/.hidden.deb")]
    [InlineData("debian/pool/main/h/hello/hello.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("debian//dists/bookworm/InRelease")]
    public void Parse_AnythingElse_IsNoPath(string text) => Assert.Null(ArchivePath.Parse(text));

    [Fact]
    public void AptSources_OneLinePerSuite_CheckedWithTheArchiveKeyring()
    {
        var sources = AptSources.For("http://10.0.0.1/apt/", "debian bookworm main\ndebian-security bookworm-security main\nbad/../x s main\n");

        Assert.Equal(
            "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://10.0.0.1/apt/debian bookworm main\n"
            + "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://10.0.0.1/apt/debian-security bookworm-security main\n",
            sources);
    }

    [Fact]
    public void AptTargets_ReleaseFileNamedLikeTheIndex_OnlyPackages()
    {
        var targets = AptTarget.Parse(
            "Packages|http://deb.debian.org/debian/|bookworm|main|main/binary-amd64/Packages|/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4\n"
            + "DEP-11|http://deb.debian.org/debian/|bookworm|main|main/dep11/Components-amd64.yml|/var/lib/apt/lists/x.yml.gz\n"
            + "Packages|http://deb.debian.org/debian-security/|bookworm-security|main|main/binary-amd64/Packages|/var/lib/apt/lists/deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages\n");

        Assert.Equal(2, targets.Count);
        Assert.Equal(("debian", "bookworm", "/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease"), (targets[0].Archive, targets[0].Suite, targets[0].ReleaseFile));
        Assert.Equal("debian-security", targets[1].Archive);
    }

    [Fact]
    public async Task ReleaseIndex_AndPackagesIndex_AreRead()
    {
        var release = ReleaseIndex.Sha256("Origin: Debian\nMD5Sum:\n f230d61720e789abf5df55d6026230c6 50060337 main/binary-amd64/Packages\nSHA256:\n " + Hash + " 50060337 main/binary-amd64/Packages\n");
        Assert.Equal((Hash, 50060337L), release["main/binary-amd64/Packages"]);

        var debs = await DebEntry.ReadAllAsync(new StringReader("Package: hello\nVersion: 2.10-3\nArchitecture: amd64\nFilename: pool/main/h/hello/hello_2.10-3_amd64.deb\nSize: 52476\nSHA256: ab\n\nPackage: e\nVersion: 1:2.0\nArchitecture: all\nFilename: pool/main/e/e/e_2.0_all.deb\nSize: 1\nSHA256: cd\n"), [], CancellationToken.None);
        Assert.Equal(52476, debs["pool/main/h/hello/hello_2.10-3_amd64.deb"].Size);
        Assert.Equal("e_1%3a2.0_all.deb", debs["pool/main/e/e/e_2.0_all.deb"].AptFileName);
    }
}
