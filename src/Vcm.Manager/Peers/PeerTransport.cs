using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Vcm.Drivers.Tls;

namespace Vcm.Manager.Peers;

/// <summary>
/// How this manager reaches peers' managers (tests route to in-memory servers instead). Over HTTPS a peer must show a
/// manager certificate issued by the CA pinned for it, and this manager presents its own; only the one call that
/// fetches a peer's CA certificate (checked against the token's fingerprint) takes any server certificate.
/// </summary>
public class PeerTransport
{
    private static readonly SocketsHttpHandler Plain = new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    };

    private static readonly SocketsHttpHandler AnyServer = TlsCredentials.AnyServer();

    private readonly ConcurrentDictionary<string, SocketsHttpHandler> _pinned = new(StringComparer.Ordinal);

    /// <param name="url">The peer's URL.</param>
    /// <param name="own">This manager's credentials.</param>
    /// <param name="authority">The peer's pinned CA; null only to fetch that CA, when any server certificate is taken.</param>
    public virtual HttpMessageHandler HandlerFor(Uri url, TlsCredentials own, X509Certificate2? authority)
    {
        if (url.Scheme != Uri.UriSchemeHttps)
        {
            return Plain;
        }

        if (authority is null)
        {
            return AnyServer;
        }

        var pinned = X509CertificateLoader.LoadCertificate(authority.RawData);
        return _pinned.GetOrAdd(CertificateFingerprint.Of(authority), _ => own.Handler(CertificateRole.Manager, () => pinned));
    }
}
