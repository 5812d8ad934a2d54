using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vcm.Api;
using Vcm.Drivers.Tls;

namespace Vcm.Cli.Infrastructure;

/// <summary>The CLI's side of a site's CA: fetched once at login and checked against the fingerprint the user gives, then pinned.</summary>
public static class SitePins
{
    /// <summary>A handler that trusts only manager certificates issued by the CA in <paramref name="pem"/>.</summary>
    public static HttpMessageHandler Handler(string pem)
    {
        var authority = X509Certificate2.CreateFromPem(pem);
        return new TlsCredentials(new TlsIdentity(null, authority)).Handler(CertificateRole.Manager, presentCertificate: false);
    }

    /// <summary>The server's CA certificate (PEM), taken only if its fingerprint is <paramref name="fingerprint"/>.</summary>
    public static async Task<string> FetchAsync(string server, string fingerprint, CancellationToken cancellationToken)
    {
        var wanted = CertificateFingerprint.Normalize(fingerprint)
            ?? throw new CliException($"--ca-fingerprint '{fingerprint}' is not a SHA-256 fingerprint (sha256: and 64 hex digits, as `vcm site ca` prints it).", ExitCodes.Usage);

        // the one call that takes any server certificate: what it answers is checked by its hash
        using var any = VcmClient.Create(server, null, TimeSpan.FromSeconds(30), TlsCredentials.AnyServer());
        var view = await any.GetSiteCaAsync(cancellationToken);
        X509Certificate2 authority;
        try
        {
            authority = X509Certificate2.CreateFromPem(view.Certificate);
        }
        catch (CryptographicException)
        {
            throw new CliException($"The server at {server} answered no usable CA certificate.", ExitCodes.Failed);
        }

        return CertificateFingerprint.Matches(authority, wanted)
            ? authority.ExportCertificatePem() + "\n"
            : throw new CliException($"The server at {server} shows a CA certificate ({CertificateFingerprint.Of(authority)}) that is not {wanted}: not signing in.", ExitCodes.Failed);
    }
}
