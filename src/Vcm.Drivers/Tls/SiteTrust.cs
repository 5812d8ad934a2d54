using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Vcm.Drivers.Tls;

/// <summary>
/// Whether a certificate is one a site's CA issued, for a role: the chain is built to that CA alone (the system's
/// roots play no part), and the subject's OU names the role. Used by every TLS end in vcm: manager, agents and peers.
/// </summary>
public static class SiteTrust
{
    public static string RoleName(CertificateRole role) => role == CertificateRole.Manager ? "manager" : "agent";

    /// <summary>The role written in the certificate's subject, or null.</summary>
    public static CertificateRole? RoleOf(X509Certificate2 certificate)
    {
        foreach (var part in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (part.GetSingleElementType().Value == "2.5.4.11") // OU
            {
                return part.GetSingleElementValue() switch
                {
                    "manager" => CertificateRole.Manager,
                    "agent" => CertificateRole.Agent,
                    _ => null,
                };
            }
        }

        return null;
    }

    /// <summary>The certificate's common name (an agent's id, a manager's site).</summary>
    public static string CommonName(X509Certificate2 certificate) => certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);

    /// <summary>True when <paramref name="certificate"/> chains to <paramref name="authority"/> (and to nothing else) and is valid now.</summary>
    public static bool IssuedBy(X509Certificate2 certificate, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        return chain.Build(certificate)
            && chain.ChainElements.Count == 2
            && chain.ChainElements[^1].Certificate.RawData.AsSpan().SequenceEqual(authority.RawData);
    }

    /// <summary>A server's certificate as a client checks it: issued by the CA for the role, and naming the address dialled.</summary>
    public static bool AcceptsServer(X509Certificate2? certificate, SslPolicyErrors errors, X509Certificate2? authority, CertificateRole? role) =>
        certificate is not null && authority is not null
        && (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) == 0
        && RoleOf(certificate) is { } actual && (role is null || actual == role)
        && IssuedBy(certificate, authority);

    /// <summary>A client's certificate as a server checks it: issued by the CA for the role (names are not checked on clients).</summary>
    public static bool AcceptsClient(X509Certificate2? certificate, X509Certificate2? authority, CertificateRole? role) =>
        certificate is not null && authority is not null && RoleOf(certificate) is { } actual && (role is null || actual == role)
        && IssuedBy(certificate, authority);
}
