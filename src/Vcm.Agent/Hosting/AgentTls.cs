using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vcm.Drivers.Tls;

namespace Vcm.Agent.Hosting;

/// <summary>
/// The agent's TLS: its certificate (with the key it made; DATA/tls/agent.pem, 0600) and its site's CA certificate
/// (DATA/tls/ca.pem), both got at join. It serves its RPC with that certificate, requires callers to show one of the
/// same CA (the manager's, or another host's reading image files), and presents it when it calls the manager or hosts.
/// </summary>
public sealed class AgentTls
{
    private readonly string _folder;

    private AgentTls(string folder, TlsIdentity identity)
    {
        _folder = folder;
        Credentials = new TlsCredentials(identity);
    }

    public TlsCredentials Credentials { get; }

    private string CertificateFile => Path.Combine(_folder, "agent.pem");

    private string AuthorityFile => Path.Combine(_folder, "ca.pem");

    public static AgentTls Load(string dataDirectory)
    {
        var folder = Path.Combine(dataDirectory, "tls");
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var certificateFile = Path.Combine(folder, "agent.pem");
        TlsFiles.Tighten(certificateFile);
        X509Certificate2? certificate = null;
        X509Certificate2? authority = null;
        try
        {
            certificate = TlsFiles.ReadWithKey(certificateFile);
            authority = TlsFiles.ReadCertificate(Path.Combine(folder, "ca.pem"));
        }
        catch (CryptographicException)
        {
            // a damaged file: the next join makes new ones
        }

        return new AgentTls(folder, new TlsIdentity(certificate, authority));
    }

    /// <summary>A client for the site's manager and hosts: mutual TLS with this agent's certificate over https, plain on http URLs.</summary>
    public HttpClient Client(TimeSpan timeout) => new(Credentials.Handler(null)) { Timeout = timeout };

    /// <summary>Takes the CA (when <paramref name="expectedFingerprint"/> is given, only the one it names) before the agent has joined.</summary>
    public string? TrustAuthority(string pem, string? expectedFingerprint)
    {
        X509Certificate2 authority;
        try
        {
            authority = X509Certificate2.CreateFromPem(pem);
        }
        catch (CryptographicException)
        {
            return "the manager's CA certificate is not a PEM certificate";
        }

        if (expectedFingerprint is not null && !CertificateFingerprint.Matches(authority, expectedFingerprint))
        {
            return $"the manager shows a CA certificate ({CertificateFingerprint.Of(authority)}) that is not the one the join token names ({expectedFingerprint})";
        }

        Credentials.Update(Credentials.Current with { Authority = authority });
        return null;
    }

    /// <summary>Keeps the certificate the manager issued for <paramref name="key"/>: it must be issued by the CA this agent trusts. Null when kept, else why not.</summary>
    public string? Accept(string certificatePem, ECDsa key)
    {
        if (Credentials.Current.Authority is not { } authority)
        {
            return "no CA certificate is trusted yet";
        }

        X509Certificate2 withKey;
        try
        {
            using var issued = X509Certificate2.CreateFromPem(certificatePem);
            if (!SiteTrust.AcceptsClient(issued, authority, CertificateRole.Agent))
            {
                return "the certificate the manager issued is not an agent certificate of the site's CA";
            }

            withKey = TlsFiles.WithKey(issued, key);
        }
        catch (CryptographicException e)
        {
            return $"the certificate the manager issued cannot be used: {e.Message.TrimEnd('.')}";
        }

        TlsFiles.Write(AuthorityFile, authority.ExportCertificatePem() + "\n");
        TlsFiles.Write(CertificateFile, TlsFiles.Pem(withKey));
        Credentials.Update(new TlsIdentity(withKey, authority));
        return null;
    }
}
