using System.Net.Sockets;

namespace Vcm.Agent.Metadata;

/// <summary>The metadata service's way to the host's copy of the site's package repository: HTTP over its unix socket.</summary>
public sealed class PackageSocketClient(string? socketPath) : IDisposable
{
    private readonly HttpClient? _http = socketPath is null ? null : new HttpClient(new SocketsHttpHandler
    {
        ConnectCallback = async (_, ct) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    { BaseAddress = new Uri("http://packages/"), Timeout = Timeout.InfiniteTimeSpan };

    public bool Available => _http is not null;

    /// <summary>GET /packages/PATH on the socket, headers read, the body still to come.</summary>
    public Task<HttpResponseMessage> GetAsync(string path, CancellationToken cancellationToken) =>
        (_http ?? throw new InvalidOperationException("this gateway has no package socket")).GetAsync("packages/" + path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    public void Dispose() => _http?.Dispose();
}
