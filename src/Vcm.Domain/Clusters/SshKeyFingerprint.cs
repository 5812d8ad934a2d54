namespace Vcm.Domain.Clusters;

/// <summary>An OpenSSH public key's SHA-256 fingerprint, as `ssh-keygen -l` prints it (SHA256:base64, no padding).</summary>
public static class SshKeyFingerprint
{
    /// <summary>The fingerprint of a key line that <see cref="SshPublicKey.TryValidate"/> accepted.</summary>
    public static string Of(string publicKey)
    {
        var parts = publicKey.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        var blob = Convert.FromBase64String(parts[1]);
        return "SHA256:" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(blob)).TrimEnd('=');
    }
}
