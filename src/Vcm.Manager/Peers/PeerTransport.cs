namespace Vcm.Manager.Peers;

/// <summary>How this manager reaches peers' managers over HTTP (tests route to in-memory servers instead).</summary>
public class PeerTransport
{
    private static readonly SocketsHttpHandler Shared = new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    };

    public virtual HttpMessageHandler HandlerFor(Uri url) => Shared;
}
