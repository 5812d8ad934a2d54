using System.Security.Cryptography;
using Vcm.Store.Secrets;
using Vcm.Testing;
using Xunit;

namespace Vcm.Store.Tests;

/// <summary>The site's key folder: made private, opened again by a restart, useless to another site.</summary>
public sealed class SiteSecretsTests : IDisposable
{
    private readonly TempDirectory _data = new("vcm-keys");

    public void Dispose() => _data.Dispose();

    [Fact]
    public void Open_MakesAPrivateFolder_WithADataProtectionKeyRing_AndOwnerOnlyFiles()
    {
        var folder = _data.Combine("keys");

        SiteSecrets.Open(folder).Protect("x");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        var files = Directory.GetFiles(folder);
        Assert.Contains(files, f => Path.GetFileName(f).StartsWith("key-", StringComparison.Ordinal) && f.EndsWith(".xml", StringComparison.Ordinal));
        Assert.Contains(Path.Combine(folder, SiteSecrets.ColumnKeyFile), files);
        Assert.All(files, f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
    }

    [Fact]
    public void Protect_TheSameSecretTwice_GivesTwoValues_ThatTheFolderOpenedAgainReads()
    {
        var folder = _data.Combine("keys");
        var first = SiteSecrets.Open(folder);

        var a = first.Protect("the secret");
        var b = first.Protect("the secret");

        Assert.NotEqual(a, b);
        Assert.StartsWith(SiteSecrets.Prefix, a, StringComparison.Ordinal);
        Assert.DoesNotContain("the secret", a, StringComparison.Ordinal);
        var restarted = SiteSecrets.Open(folder);
        Assert.Equal("the secret", restarted.Unprotect(a));
        Assert.Equal("the secret", restarted.Unprotect(b));
    }

    [Fact]
    public void Unprotect_AnotherSitesValue_OrAChangedOne_Throws_AClearOneIsReadAsItIs()
    {
        var ours = SiteSecrets.Open(_data.Combine("a"));
        var theirs = SiteSecrets.Open(_data.Combine("b"));
        var value = theirs.Protect("their secret");

        Assert.ThrowsAny<CryptographicException>(() => ours.Unprotect(value));
        var changed = value[..^2] + (value[^2] == 'A' ? "B" : "A") + value[^1];
        Assert.ThrowsAny<CryptographicException>(() => theirs.Unprotect(changed));
        Assert.Equal("written before encryption", ours.Unprotect("written before encryption"));
        Assert.Throws<InvalidOperationException>(() => SiteSecrets.Unavailable.Protect("x"));
    }
}
