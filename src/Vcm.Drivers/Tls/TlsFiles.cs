using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vcm.Drivers.Tls;

/// <summary>PEM files of keys and certificates: written whole (a temporary file, then renamed) and readable by the owner only.</summary>
public static class TlsFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> (0600); with <paramref name="overwrite"/> false an existing file wins and false is returned.</summary>
    public static bool Write(string path, string text, bool overwrite = true)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        using (var stream = new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = OperatingSystem.IsWindows() ? null : OwnerOnly,
        }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
        }

        try
        {
            File.Move(temp, path, overwrite);
            return true;
        }
        catch (IOException) when (!overwrite && File.Exists(path))
        {
            File.Delete(temp);
            return false;
        }
    }

    /// <summary>Tightens a key file found looser than 0600.</summary>
    public static void Tighten(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path) && (File.GetUnixFileMode(path) & ~OwnerOnly) != 0)
        {
            File.SetUnixFileMode(path, OwnerOnly);
        }
    }

    /// <summary>A certificate with its ECDSA private key, as one PEM text (key first).</summary>
    public static string Pem(X509Certificate2 certificate)
    {
        using var key = certificate.GetECDsaPrivateKey() ?? throw new ArgumentException("the certificate carries no ECDSA private key", nameof(certificate));
        return key.ExportPkcs8PrivateKeyPem() + "\n" + certificate.ExportCertificatePem() + "\n";
    }

    /// <summary>Reads what <see cref="Pem"/> wrote; null when the file is missing.</summary>
    public static X509Certificate2? ReadWithKey(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var text = File.ReadAllText(path);
        return X509Certificate2.CreateFromPem(text, text);
    }

    public static X509Certificate2? ReadCertificate(string path) =>
        File.Exists(path) ? X509Certificate2.CreateFromPem(File.ReadAllText(path)) : null;

    /// <summary>A new P-256 key and a signing request for <paramref name="commonName"/>; the key stays with the caller.</summary>
    public static (ECDsa Key, string Csr) NewRequest(string commonName)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + commonName), key, HashAlgorithmName.SHA256);
        return (key, request.CreateSigningRequestPem());
    }

    /// <summary>The certificate with <paramref name="key"/> joined to it, not tied to the key object (disposing that leaves it usable).</summary>
    public static X509Certificate2 WithKey(X509Certificate2 certificate, ECDsa key)
    {
        using var joined = certificate.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(joined.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>True when less than a third of the certificate's lifetime is left: time to renew it.</summary>
    public static bool DueForRenewal(X509Certificate2 certificate, DateTimeOffset now)
    {
        var lifetime = certificate.NotAfter.ToUniversalTime() - certificate.NotBefore.ToUniversalTime();
        return now.UtcDateTime >= certificate.NotAfter.ToUniversalTime() - lifetime / 3;
    }
}
