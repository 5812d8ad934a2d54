using System.Security.Cryptography;
using Vcm.Manager.Ssh;
using Xunit;

namespace Vcm.Manager.Tests.Ssh;

/// <summary>The secrets a cluster's nodes share, derived from its admin key: stable, usable, and the cluster's own.</summary>
public sealed class ClusterSecretsTests
{
    private static readonly string One = AdminKey.Create("one").PrivatePem;
    private static readonly string Two = AdminKey.Create("two").PrivatePem;

    [Fact]
    public void NodeKey_IsTheSameForTheSameCluster_AndAnotherForAnother()
    {
        var first = ClusterSecrets.NodeKey(One, "hpc");

        Assert.Equal(first, ClusterSecrets.NodeKey(One, "hpc"));
        Assert.NotEqual(first.PublicLine, ClusterSecrets.NodeKey(Two, "hpc").PublicLine);
        Assert.StartsWith("ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY", first.PublicLine, StringComparison.Ordinal);
        Assert.EndsWith(" root@hpc", first.PublicLine, StringComparison.Ordinal);
    }

    [Fact]
    public void NodeKey_PrivateHalf_SignsWhatThePublicHalfVerifies()
    {
        var key = ClusterSecrets.NodeKey(One, "hpc");
        using var signer = ECDsa.Create();
        signer.ImportFromPem(key.PrivatePem);
        var data = "vcm"u8.ToArray();
        var signature = signer.SignData(data, HashAlgorithmName.SHA256);

        // the public point as the authorized_keys line carries it: string "ecdsa-sha2-nistp256", string "nistp256", string Q
        var blob = Convert.FromBase64String(key.PublicLine.Split(' ')[1]);
        var q = blob[^65..];
        using var verifier = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = q[1..33], Y = q[33..] } });
        Assert.True(verifier.VerifyData(data, signature, HashAlgorithmName.SHA256));
    }

    [Fact]
    public void MungeKey_Is128BytesOfTheClustersOwn()
    {
        var key = Convert.FromBase64String(ClusterSecrets.MungeKey(One));

        Assert.Equal(ClusterSecrets.MungeKeyBytes, key.Length);
        Assert.Equal(ClusterSecrets.MungeKey(One), ClusterSecrets.MungeKey(One));
        Assert.NotEqual(ClusterSecrets.MungeKey(One), ClusterSecrets.MungeKey(Two));
    }
}
