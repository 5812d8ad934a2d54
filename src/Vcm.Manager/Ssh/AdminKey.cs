using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Vcm.Manager.Ssh;

/// <summary>
/// The per-cluster admin key vcm keeps beside the tenant's keys: ECDSA P-256, which OpenSSH and dropbear both
/// take; the public half as an OpenSSH authorized_keys line, the private half as a PEM file for `ssh -i`.
/// </summary>
public sealed record AdminKey(string PublicLine, string PrivatePem)
{
    public static AdminKey Create(string comment)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Of(key, comment);
    }

    /// <summary>
    /// The key whose private scalar is derived from <paramref name="seed"/> (HKDF-SHA256): the same seed gives the
    /// same key, so a key derived from a secret the store keeps need not be stored itself.
    /// </summary>
    public static AdminKey Derive(ReadOnlySpan<byte> seed, string purpose, string comment)
    {
        // n of P-256: a scalar must lie in [1, n-1]; a derived one falls outside with a probability of about 2^-32
        var n = Convert.FromHexString("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
        for (var round = 0; ; round++)
        {
            var d = new byte[32];
            HKDF.DeriveKey(HashAlgorithmName.SHA256, seed, d, salt: [], info: Encoding.UTF8.GetBytes($"{purpose}/{round}"));
            if (d.AsSpan().SequenceCompareTo(n) >= 0 || d.All(b => b == 0))
            {
                continue;
            }

            using var key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d });
            return Of(key, comment);
        }
    }

    private static AdminKey Of(ECDsa key, string comment)
    {
        var parameters = key.ExportParameters(includePrivateParameters: false);
        var point = new byte[65];
        point[0] = 4;
        parameters.Q.X!.CopyTo(point, 1);
        parameters.Q.Y!.CopyTo(point, 33);
        using var blob = new MemoryStream();
        WriteString(blob, Encoding.ASCII.GetBytes("ecdsa-sha2-nistp256"));
        WriteString(blob, Encoding.ASCII.GetBytes("nistp256"));
        WriteString(blob, point);
        var line = $"ecdsa-sha2-nistp256 {Convert.ToBase64String(blob.ToArray())} {comment}";
        return new AdminKey(line, key.ExportECPrivateKeyPem() + "\n");
    }

    private static void WriteString(Stream stream, byte[] bytes)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)bytes.Length);
        stream.Write(length);
        stream.Write(bytes);
    }
}
