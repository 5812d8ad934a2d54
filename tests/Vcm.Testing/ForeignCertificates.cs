using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vcm.Drivers.Tls;
using Vcm.Manager.Tls;

namespace Vcm.Testing;

/// <summary>Certificates of a CA that is not the site's: made exactly as a site's CA makes its own, so only the issuer differs.</summary>
public static class ForeignCertificates
{
    /// <summary>An agent (or, with <paramref name="role"/>, manager) certificate for <paramref name="commonName"/> with its key, from a new CA of its own.</summary>
    public static X509Certificate2 Issue(string commonName, CertificateRole role = CertificateRole.Agent)
    {
        using var folder = new TempDirectory("vcm-foreign-ca");
        var authority = SiteAuthority.Open(folder.Path, "foreign", DateTimeOffset.UtcNow);
        if (role == CertificateRole.Manager)
        {
            return authority.IssueManager(commonName, ["127.0.0.1"], DateTimeOffset.UtcNow, TimeSpan.FromHours(1));
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256);
        using var issued = authority.Issue(request.PublicKey, commonName, role, ["127.0.0.1"], DateTimeOffset.UtcNow, TimeSpan.FromHours(1));
        return TlsFiles.WithKey(issued, key);
    }

    /// <summary>A client presenting <paramref name="own"/> (or nothing) that trusts servers of <paramref name="role"/> issued by <paramref name="authority"/>.</summary>
    public static HttpClient ClientWith(X509Certificate2? own, X509Certificate2 authority, CertificateRole? role, TimeSpan? timeout = null) =>
        new(new TlsCredentials(new TlsIdentity(own, authority)).Handler(role, presentCertificate: own is not null)) { Timeout = timeout ?? TimeSpan.FromSeconds(10) };
}
