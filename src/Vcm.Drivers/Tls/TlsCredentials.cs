using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Vcm.Drivers.Tls;

/// <summary>
/// The current <see cref="TlsIdentity"/> of a process, swapped whole when a certificate is renewed: servers and
/// clients made from it read it at every handshake, so a renewal needs no restart and drops no connection.
/// </summary>
public sealed class TlsCredentials
{
    private volatile TlsIdentity _current;

    public TlsCredentials(TlsIdentity? initial = null) => _current = initial ?? new TlsIdentity(null, null);

    public TlsIdentity Current => _current;

    public void Update(TlsIdentity identity) => _current = identity;

    /// <summary>
    /// A handler that takes any server certificate: only for fetching a site's CA certificate, which the caller then
    /// checks against the fingerprint its token names.
    /// </summary>
    public static SocketsHttpHandler AnyServer() => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
    };

    /// <summary>
    /// A handler for calls to servers of <paramref name="expected"/> role (null: either) issued by <paramref name="authority"/>
    /// (by default this site's CA), presenting this process's certificate when the server asks for one. Plain HTTP URLs
    /// go through it unchanged.
    /// </summary>
    public SocketsHttpHandler Handler(CertificateRole? expected, Func<X509Certificate2?>? authority = null, bool presentCertificate = true)
    {
        var trust = authority ?? (() => _current.Authority);
        return new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            MaxConnectionsPerServer = 64,
            SslOptions = new SslClientAuthenticationOptions
            {
                LocalCertificateSelectionCallback = presentCertificate ? (_, _, _, _, _) => _current.Certificate! : null,
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    SiteTrust.AcceptsServer(certificate as X509Certificate2, errors, trust(), expected),
            },
        };
    }
}
