using System.Security.Cryptography;
using System.Text;

namespace Vcm.Manager.Ssh;

/// <summary>
/// The secrets a cluster's nodes share among themselves — root's key for SSH between them and the munge key of a
/// Slurm cluster — derived from the cluster's admin private key, which the store keeps: the same on every
/// reconcile and after any restart, never stored twice, and different for every cluster.
/// </summary>
public static class ClusterSecrets
{
    public const int MungeKeyBytes = 128;

    /// <summary>root's key pair on every node of the cluster.</summary>
    public static AdminKey NodeKey(string adminPrivateKey, string cluster) =>
        AdminKey.Derive(Encoding.UTF8.GetBytes(adminPrivateKey), "vcm node key", $"root@{cluster}");

    /// <summary>The munge key (base64) every node of a Slurm cluster shares.</summary>
    public static string MungeKey(string adminPrivateKey) =>
        Convert.ToBase64String(HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(adminPrivateKey), MungeKeyBytes, info: "vcm munge key"u8.ToArray()));
}
