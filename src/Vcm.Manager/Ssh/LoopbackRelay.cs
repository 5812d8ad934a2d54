using System.Net;
using System.Net.Sockets;

namespace Vcm.Manager.Ssh;

/// <summary>
/// Hands one connection already made (to a node's SSH port, perhaps from inside the external network's namespace) to a
/// client that can only dial an address: it listens on a loopback port, takes the first connection there, stops
/// listening, and copies bytes both ways until either side closes.
/// </summary>
public sealed class LoopbackRelay : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Socket _upstream;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private LoopbackRelay(Socket upstream)
    {
        _upstream = upstream;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(1);
        _run = RunAsync(_stop.Token);
    }

    /// <summary>Where the client is to connect.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Starts relaying <paramref name="upstream"/> (which the relay then owns) to the first connection on <see cref="EndPoint"/>.</summary>
    public static LoopbackRelay Start(Socket upstream) => new(upstream);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = await _listener.AcceptSocketAsync(cancellationToken);
            _listener.Stop();
            await using var near = new NetworkStream(client, ownsSocket: false);
            await using var far = new NetworkStream(_upstream, ownsSocket: false);
            await Task.WhenAny(CopyAsync(near, far, cancellationToken), CopyAsync(far, near, cancellationToken));
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // one side closed, or the relay was disposed
        }
    }

    private static async Task CopyAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        try
        {
            await from.CopyToAsync(to, cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // the other direction ends the relay
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _upstream.Dispose();
        await _run;
        _stop.Dispose();
    }
}
