using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Vcm.Agent.Tests.Linux.Metadata;

/// <summary>Well-formed SSH public key lines made up for tests, and their fingerprints computed the long way.</summary>
public static class SshKeyLines
{
    public static (string Line, string Fingerprint) Ed25519(string comment = "root@node")
    {
        var type = "ssh-ed25519"u8.ToArray();
        var blob = new byte[4 + type.Length + 4 + 32];
        BinaryPrimitives.WriteInt32BigEndian(blob, type.Length);
        type.CopyTo(blob, 4);
        BinaryPrimitives.WriteInt32BigEndian(blob.AsSpan(4 + type.Length), 32);
        RandomNumberGenerator.Fill(blob.AsSpan(8 + type.Length));
        var hash = Convert.ToBase64String(SHA256.HashData(blob));
        return ($"ssh-ed25519 {Convert.ToBase64String(blob)} {comment}", "SHA256:" + hash.TrimEnd('='));
    }

    public static string Form(params (string Key, string Value)[] fields) =>
        string.Join('&', fields.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}"));

    public static StringContent FormContent(params (string Key, string Value)[] fields) =>
        new(Form(fields), Encoding.ASCII, "application/x-www-form-urlencoded");
}
