using Vcm.Agent.Tests.Linux.Micro;
using Vcm.Drivers.Network;
using Vcm.Drivers.Processes;
using Vcm.Manager.Ssh;
using Vcm.Testing;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Metadata;

/// <summary>The host keys the manager makes for nodes, checked against OpenSSH's own ssh-keygen (which sshd's reading shares).</summary>
public sealed class SshHostKeyTests
{
    [ToolsFact(false, "ssh-keygen")]
    public async Task Create_AKeyOpenSshReads_WithThePublicHalfAndFingerprintItDerives()
    {
        using var dir = new TempDirectory("vcm-nodekey");
        var key = NodeHostKeys.Create("root@node-01.demo");
        var file = dir.Combine("key");
        await File.WriteAllTextAsync(file, key.PrivateKey);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var derived = (await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("ssh-keygen", "-y", "-f", file), CancellationToken.None)).EnsureSuccess().StandardOutput;
        var printed = (await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("ssh-keygen", "-l", "-E", "sha256", "-f", file), CancellationToken.None)).EnsureSuccess().StandardOutput;

        Assert.Equal(key.PublicLine, string.Join(' ', derived.Trim().Split(' ').Take(2)));
        Assert.Equal(printed.Split(' ')[1], key.Fingerprint);
        Assert.Contains("root@node-01.demo", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AKeyItMade_GivesTheSamePublicHalf_AndEachKeyIsNew()
    {
        var key = NodeHostKeys.Create("n");
        var other = NodeHostKeys.Create("n");

        Assert.Equal(key, SshHostKey.Parse(key.PrivateKey));
        Assert.NotEqual(key.PublicLine, other.PublicLine);
        Assert.DoesNotContain("PRIVATE", key.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIA==\n-----END EC PRIVATE KEY-----\n")]
    public void Parse_NotAnOpenSshEd25519Key_IsNull(string text) => Assert.Null(SshHostKey.Parse(text));
}
