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
