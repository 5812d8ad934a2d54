using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Vcm.Agent.Metadata;

/// <summary>SSH public key lines ("ssh-ed25519 AAAA… [comment]") and their OpenSSH SHA256 fingerprints.</summary>
public static class HostKeys
{
    /// <summary>The key line without its comment, or null when it is not a well-formed SSH public key.</summary>
    public static string? Normalize(string line)
    {
        var parts = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || Blob(parts[0], parts[1]) is null)
        {
            return null;
        }

        return $"{parts[0]} {parts[1]}";
    }

    /// <summary>"SHA256:…" (unpadded base64 of the SHA-256 of the key blob), as ssh-keygen -l and dropbearkey -y print it.</summary>
    public static string? Fingerprint(string line)
    {
        var parts = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && Blob(parts[0], parts[1]) is { } blob
            ? "SHA256:" + Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('=')
            : null;
    }

    /// <summary>The decoded key, if it is base64 and starts with its own type name (SSH wire format).</summary>
    private static byte[]? Blob(string type, string base64)
    {
        if (!type.StartsWith("ssh-", StringComparison.Ordinal) && !type.StartsWith("ecdsa-", StringComparison.Ordinal) && !type.StartsWith("sk-", StringComparison.Ordinal))
        {
            return null;
        }

        var buffer = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, buffer, out var length) || length < 4)
        {
            return null;
        }

        var blob = buffer.AsSpan(0, length);
        var nameLength = BinaryPrimitives.ReadUInt32BigEndian(blob);
        if (nameLength != type.Length || 4 + nameLength > length || Encoding.ASCII.GetString(blob.Slice(4, (int)nameLength)) != type)
        {
            return null;
        }

        return blob.ToArray();
    }
}
