using Vcm.Drivers.Tls;
using Vcm.Manager.Configuration;

namespace Vcm.Manager.Tls;

/// <summary>
/// This manager's TLS: the site's CA, and the manager's own certificate (made at every start, for the names of its
/// URLs, and renewed in place when a third of its lifetime is left). Kestrel and every client the manager makes read
/// <see cref="Credentials"/> at each handshake.
/// </summary>
public sealed class ManagerTls
{
    private readonly ManagerOptions _options;
    private readonly TimeProvider _clock;
    private readonly IReadOnlyList<string> _names;
    private readonly Lock _renewing = new();

    public ManagerTls(SiteAuthority authority, ManagerOptions options, TimeProvider clock)
    {
        Authority = authority;
        _options = options;
        _clock = clock;
        _names = ListenAddresses.CertificateNames(options.Listen.Split(';', StringSplitOptions.RemoveEmptyEntries).Append(options.EffectiveAdvertiseUrl));
        Credentials = new TlsCredentials(new TlsIdentity(Issue(), authority.Certificate));
    }

    public SiteAuthority Authority { get; }

    public TlsCredentials Credentials { get; }

    /// <summary>Issues a new certificate when the current one is due; true when it did.</summary>
    public bool RenewIfDue()
    {
        lock (_renewing)
        {
            if (Credentials.Current.Certificate is { } current && !TlsFiles.DueForRenewal(current, _clock.GetUtcNow()))
            {
                return false;
            }

            Credentials.Update(new TlsIdentity(Issue(), Authority.Certificate));
            return true;
        }
    }

    private System.Security.Cryptography.X509Certificates.X509Certificate2 Issue() =>
        Authority.IssueManager(_options.SiteName, _names, _clock.GetUtcNow(), _options.CertificateLifetime);
}
