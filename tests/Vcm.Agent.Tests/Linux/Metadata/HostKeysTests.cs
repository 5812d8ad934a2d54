using Vcm.Agent.Metadata;
using Vcm.Agent.Tests.Linux.Micro;
using Vcm.Drivers.Processes;
using Vcm.Testing;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Metadata;

/// <summary>SSH key lines and fingerprints, checked against OpenSSH's own ssh-keygen.</summary>
public sealed class HostKeysTests
{
    [ToolsFact(false, "ssh-keygen")]
    public async Task Fingerprint_RealKeys_IsWhatSshKeygenPrints()
    {
        using var dir = new TempDirectory("vcm-hostkeys");
        foreach (var type in new[] { "ed25519", "ecdsa", "rsa" })
        {
            var key = dir.Combine(type);
            (await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "root@somewhere", "-f", key), CancellationToken.None)).EnsureSuccess();
            var printed = (await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("ssh-keygen", "-l", "-E", "sha256", "-f", key + ".pub"), CancellationToken.None)).EnsureSuccess().StandardOutput;
            var line = await File.ReadAllTextAsync(key + ".pub");

            Assert.Equal(printed.Split(' ')[1], HostKeys.Fingerprint(line));
            Assert.Equal(string.Join(' ', line.Trim().Split(' ').Take(2)), HostKeys.Normalize(line));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("ssh-ed25519")]
    [InlineData("ssh-ed25519 notbase64!")]
    [InlineData("ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl")]
    [InlineData("garbage AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl")]
    public void Normalize_NotAKeyOfItsType_IsNull(string line)
    {
        Assert.Null(HostKeys.Normalize(line));
        Assert.Null(HostKeys.Fingerprint(line));
    }
}
