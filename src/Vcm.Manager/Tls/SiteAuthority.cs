using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vcm.Domain.Common;
using Vcm.Drivers.Tls;

namespace Vcm.Manager.Tls;

/// <summary>
/// The site's certificate authority: an ECDSA P-256 key and a self-signed CA certificate (10 years), made at the first
/// start in the site's key folder as <c>site-ca.pem</c> (0600; managers sharing a database share the folder, so they
/// share the CA). It issues the managers' certificates and, from their signing requests, the agents'.
/// </summary>
public sealed class SiteAuthority
{
    public const string FileName = "site-ca.pem";

    public static readonly TimeSpan AuthorityLifetime = TimeSpan.FromDays(3650);

    private readonly X509Certificate2 _authority;

    private SiteAuthority(X509Certificate2 authority)
    {
        _authority = authority;
        Certificate = X509CertificateLoader.LoadCertificate(authority.RawData);
        Fingerprint = CertificateFingerprint.Of(Certificate);
    }

    /// <summary>The CA's certificate, without its key.</summary>
    public X509Certificate2 Certificate { get; }

    public string Fingerprint { get; }

    public string CertificatePem => Certificate.ExportCertificatePem() + "\n";

    /// <summary>Loads the site's CA from <paramref name="keyDirectory"/>, making it when missing (two managers starting at once keep the first one written).</summary>
    public static SiteAuthority Open(string keyDirectory, string siteName, DateTimeOffset now)
    {
        var path = Path.Combine(keyDirectory, FileName);
        if (!File.Exists(path))
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest(new X500DistinguishedName($"CN=vcm site {siteName} CA, O=vcm"), key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            using var made = request.CreateSelfSigned(now.AddHours(-1), now + AuthorityLifetime);
            TlsFiles.Write(path, TlsFiles.Pem(made), overwrite: false);
        }

        TlsFiles.Tighten(path);
        return new SiteAuthority(TlsFiles.ReadWithKey(path)!);
    }

    /// <summary>A certificate for the holder of <paramref name="publicKey"/>, named <paramref name="commonName"/>, for <paramref name="role"/>, valid for <paramref name="names"/> (addresses or DNS names).</summary>
    public X509Certificate2 Issue(PublicKey publicKey, string commonName, CertificateRole role, IEnumerable<string> names, DateTimeOffset now, TimeSpan lifetime)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddOrganizationName("vcm");
        subject.AddOrganizationalUnitName(SiteTrust.RoleName(role));
        subject.AddCommonName(commonName);
        var request = new CertificateRequest(subject.Build(), publicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_authority, true, false));
        var alternative = new SubjectAlternativeNameBuilder();
        foreach (var name in names.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (IPAddress.TryParse(name, out var address))
            {
                alternative.AddIpAddress(address);
            }
            else
            {
                alternative.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(alternative.Build());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        var notAfter = now + lifetime;
        if (notAfter > _authority.NotAfter)
        {
            notAfter = _authority.NotAfter;
        }

        // valid a little before now, for clocks a little behind: a tenth of the lifetime, at most five minutes (the
        // holder renews when a third of the whole span is left)
        var skew = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(5).Ticks, lifetime.Ticks / 10));
        return request.Create(_authority, now - skew, notAfter, serial);
    }

    /// <summary>Signs an agent's PEM signing request; problems when it is not one (a bad signature, an unusable key).</summary>
    public (X509Certificate2? Certificate, IReadOnlyList<Problem> Problems) SignRequest(
        string? csrPem, string field, string commonName, CertificateRole role, IEnumerable<string> names, DateTimeOffset now, TimeSpan lifetime)
    {
        if (string.IsNullOrWhiteSpace(csrPem) || csrPem.Length > 16 * 1024)
        {
            return (null, [new Problem(field, "must be a PEM certificate signing request (PKCS #10) of at most 16 KiB")]);
        }

        CertificateRequest csr;
        try
        {
            csr = CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);
        }
        catch (CryptographicException e)
        {
            return (null, [new Problem(field, $"is not a signed certificate signing request: {e.Message.TrimEnd('.')}")]);
        }

        using var ec = csr.PublicKey.GetECDsaPublicKey();
        using var rsa = ec is null ? csr.PublicKey.GetRSAPublicKey() : null;
        if (ec is { KeySize: < 256 } || (ec is null && rsa is not { KeySize: >= 2048 }))
        {
            return (null, [new Problem(field, "must hold an ECDSA key of at least 256 bits or an RSA key of at least 2048 bits")]);
        }

        return (Issue(csr.PublicKey, commonName, role, names, now, lifetime), []);
    }

    /// <summary>A new key and certificate for a manager of this site, valid for <paramref name="names"/>.</summary>
    public X509Certificate2 IssueManager(string siteName, IEnumerable<string> names, DateTimeOffset now, TimeSpan lifetime)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256);
        using var issued = Issue(request.PublicKey, siteName, CertificateRole.Manager, names, now, lifetime);
        return TlsFiles.WithKey(issued, key);
    }
}
