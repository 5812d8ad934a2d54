using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Vcm.Drivers.Network;

/// <summary>
/// Makes the key material of one cluster's VPN: a CA of its own (EC P-256, used once to sign and then forgotten, so
/// no further certificate can ever be issued for it), a server and a client certificate (EKU serverAuth / clientAuth,
/// key usage digitalSignature + keyAgreement, as OpenVPN's <c>--remote-cert-tls</c> checks) with their keys, and an
/// OpenVPN tls-crypt key. Everything is PEM text, ready for <see cref="VpnSpec"/>.
/// </summary>
/// <remarks>
/// The server end of the VPN gets <see cref="Keys.ServerCertificate"/> and <see cref="Keys.ServerKey"/>, the client
/// end the client pair; both get <see cref="Keys.CaCertificate"/> and <see cref="Keys.TlsCryptKey"/>. The private keys
/// and the tls-crypt key are secrets: store them as such.
/// </remarks>
public static class VpnKeys
{
    /// <summary>How long the certificates are valid: long enough never to expire under a cluster.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(3650);

    /// <summary>How far before <c>now</c> the certificates start to be valid (clocks of two sites may differ).</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromDays(1);

    /// <summary>One cluster's VPN keys, all PEM (private keys PKCS#8).</summary>
    public sealed record Keys(
        string CaCertificate,
        string ServerCertificate,
        string ServerKey,
        string ClientCertificate,
        string ClientKey,
        string TlsCryptKey);

    /// <summary>New keys for the VPN of <paramref name="cluster"/> (named in the certificates' subjects).</summary>
    public static Keys Create(string cluster, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cluster);
        var notBefore = now - ClockSkew;
        var notAfter = now + Lifetime;

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest(Subject($"vcm VPN CA {cluster}"), caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter);

        var (serverCertificate, serverKey) = Issue(ca, caKey, $"vcm VPN server {cluster}", "1.3.6.1.5.5.7.3.1", notBefore, notAfter);
        var (clientCertificate, clientKey) = Issue(ca, caKey, $"vcm VPN client {cluster}", "1.3.6.1.5.5.7.3.2", notBefore, notAfter);
        return new Keys(ca.ExportCertificatePem(), serverCertificate, serverKey, clientCertificate, clientKey, TlsCryptKey());
    }

    /// <summary>
    /// A new OpenVPN tls-crypt key: 256 random bytes in OpenVPN's "Static key V1" form (16 lines of 32 hex digits),
    /// as <c>openvpn --genkey tls-crypt</c> writes it.
    /// </summary>
    public static string TlsCryptKey()
    {
        var hex = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(256));
        var text = new StringBuilder();
        text.Append("#\n# 2048 bit OpenVPN static key\n#\n-----BEGIN OpenVPN Static key V1-----\n");
        for (var line = 0; line < 16; line++)
        {
            text.Append(hex, line * 32, 32).Append('\n');
        }

        return text.Append("-----END OpenVPN Static key V1-----\n").ToString();
    }

    private static (string Certificate, string Key) Issue(X509Certificate2 ca, ECDsa caKey, string name, string usage, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(Subject(name), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var certificate = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), notBefore, notAfter, serial);
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    private static X500DistinguishedName Subject(string commonName)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(commonName);
        return builder.Build();
    }
}
