using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Vcm.Drivers.Network;

/// <summary>
/// A node's ed25519 SSH host key as the manager makes it (docs/guest-protocol.md, "The node's host key"): the private
/// half in OpenSSH's own format (<c>-----BEGIN OPENSSH PRIVATE KEY-----</c>, unencrypted), which sshd reads as it is
/// and dropbearconvert turns into dropbear's; the public half as a key line (<c>ssh-ed25519 AAAA…</c>, no comment)
/// and its <c>SHA256:…</c> fingerprint, as ssh-keygen -l and dropbearkey -y print it.
/// </summary>
public sealed record SshHostKey(string PrivateKey, string PublicLine, string Fingerprint)
{
    private const string Type = "ssh-ed25519";
    private const string Begin = "-----BEGIN OPENSSH PRIVATE KEY-----";
    private const string End = "-----END OPENSSH PRIVATE KEY-----";
    private static readonly byte[] Magic = "openssh-key-v1\0"u8.ToArray();

    /// <summary>The key of a 32-byte ed25519 seed and the 32-byte public key it gives (RFC 8032).</summary>
    public static SshHostKey Of(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> publicKey, string comment)
    {
        if (seed.Length != 32 || publicKey.Length != 32)
        {
            throw new ArgumentException("an ed25519 seed and public key are 32 bytes each");
        }

        var blob = PublicBlob(publicKey);
        using var secret = new MemoryStream();
        var check = RandomNumberGenerator.GetBytes(4);
        secret.Write(check);
        secret.Write(check);
        WriteString(secret, Encoding.ASCII.GetBytes(Type));
        WriteString(secret, publicKey);
        WriteString(secret, [.. seed, .. publicKey]);
        WriteString(secret, Encoding.UTF8.GetBytes(comment));
        for (byte pad = 1; secret.Length % 8 != 0; pad++)
        {
            secret.WriteByte(pad);
        }

        using var file = new MemoryStream();
        file.Write(Magic);
        WriteString(file, "none"u8);
        WriteString(file, "none"u8);
        WriteString(file, []);
        Span<byte> count = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(count, 1);
        file.Write(count);
        WriteString(file, blob);
        WriteString(file, secret.ToArray());
        var base64 = Convert.ToBase64String(file.ToArray());
        var text = new StringBuilder(Begin).Append('\n');
        for (var i = 0; i < base64.Length; i += 70)
        {
            text.Append(base64.AsSpan(i, Math.Min(70, base64.Length - i))).Append('\n');
        }

        text.Append(End).Append('\n');
        return new SshHostKey(text.ToString(), Line(blob), FingerprintOf(blob));
    }

    /// <summary>The key in <paramref name="privateKey"/> (an unencrypted OpenSSH ed25519 private key), or null when it is not one.</summary>
    public static SshHostKey? Parse(string privateKey)
    {
        var text = privateKey.Trim();
        if (!text.StartsWith(Begin, StringComparison.Ordinal) || !text.EndsWith(End, StringComparison.Ordinal))
        {
            return null;
        }

        var body = string.Concat(text[Begin.Length..^End.Length].Where(c => !char.IsWhiteSpace(c)));
        var bytes = new byte[body.Length];
        if (!Convert.TryFromBase64String(body, bytes, out var length) || length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            return null;
        }

        var reader = new Reader(bytes.AsSpan(0, length)[Magic.Length..].ToArray());
        if (reader.Text() != "none" || reader.Text() != "none" || reader.Bytes() is null || reader.UInt32() != 1
            || reader.Bytes() is not { } blob || reader.Bytes() is null || !IsEd25519(blob))
        {
            return null;
        }

        return new SshHostKey(privateKey, Line(blob), FingerprintOf(blob));
    }

    /// <summary>The public half only: a key written to a log must not show its private half.</summary>
    public override string ToString() => $"{PublicLine} ({Fingerprint})";

    private static bool IsEd25519(byte[] blob)
    {
        var reader = new Reader(blob);
        return reader.Text() == Type && reader.Bytes() is { Length: 32 } && reader.AtEnd;
    }

    private static byte[] PublicBlob(ReadOnlySpan<byte> publicKey)
    {
        using var blob = new MemoryStream();
        WriteString(blob, Encoding.ASCII.GetBytes(Type));
        WriteString(blob, publicKey);
        return blob.ToArray();
    }

    private static string Line(byte[] blob) => $"{Type} {Convert.ToBase64String(blob)}";

    private static string FingerprintOf(byte[] blob) => "SHA256:" + Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('=');

    private static void WriteString(Stream stream, ReadOnlySpan<byte> bytes)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)bytes.Length);
        stream.Write(length);
        stream.Write(bytes);
    }

    /// <summary>SSH wire format: uint32 and length-prefixed strings; null once the data runs out.</summary>
    private sealed class Reader(byte[] data)
    {
        private int _at;

        public bool AtEnd => _at == data.Length;

        public uint? UInt32()
        {
            if (data.Length - _at < 4)
            {
                return null;
            }

            var value = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(_at));
            _at += 4;
            return value;
        }

        public byte[]? Bytes()
        {
            if (UInt32() is not { } length || length > data.Length - _at)
            {
                return null;
            }

            var value = data.AsSpan(_at, (int)length).ToArray();
            _at += (int)length;
            return value;
        }

        public string? Text() => Bytes() is { } bytes ? Encoding.UTF8.GetString(bytes) : null;
    }
}
