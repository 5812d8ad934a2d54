using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Vcm.Store.Records;

namespace Vcm.Manager.Peers;

/// <summary>The CA pinned for each peer, parsed once per PEM text: what calls to the peer trust, and what the peer's calls here must show.</summary>
public sealed class PeerAuthorities
{
    private readonly ConcurrentDictionary<string, X509Certificate2> _parsed = new(StringComparer.Ordinal);

    /// <summary>The peer's pinned CA; null for a peer reached over plain HTTP on loopback.</summary>
    public X509Certificate2? For(PeerRecord peer) =>
        peer.CaCertificate is { } pem ? _parsed.GetOrAdd(pem, p => X509Certificate2.CreateFromPem(p)) : null;
}
