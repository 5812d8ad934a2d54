using System.Net.Sockets;
using System.Text;

namespace Vcm.Agent.Tests.Linux.Network;

/// <summary>
/// A unix-socket server standing in for a receiver VM's socket: each connection's bytes, read to their end, come back
/// after <see cref="Prefix"/>; it counts the connections it took. Disposing it stops it and removes its socket.
/// </summary>
public sealed class UnixEchoServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _accepted;

    private UnixEchoServer(string path, string prefix)
    {
        Path = path;
        Prefix = prefix;
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        _listener.Listen(16);
        _loop = Task.Run(AcceptAsync);
    }

    public string Path { get; }

    public string Prefix { get; }

    /// <summary>How many connections reached it.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    public static UnixEchoServer Start(string path, string prefix) => new(path, prefix);

    /// <summary>
    /// Connects to the unix socket at <paramref name="path"/>, sends <paramref name="payload"/>, ends its side, and
    /// answers everything read back until the other side ends (within <paramref name="seconds"/>).
    /// </summary>
    public static async Task<byte[]> AskAsync(string path, byte[] payload, int seconds = 30)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), timeout.Token);
        var sending = SendAllAsync(socket, payload, timeout.Token);
        var reading = ReadToEndAsync(socket, timeout.Token);
        await sending;
        socket.Shutdown(SocketShutdown.Send);
        return await reading;
    }

    public static async Task<string> AskAsync(string path, string text) =>
        Encoding.UTF8.GetString(await AskAsync(path, Encoding.UTF8.GetBytes(text)));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }

        File.Delete(Path);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var connection = await _listener.AcceptAsync(_stop.Token);
            Interlocked.Increment(ref _accepted);
            _ = Task.Run(() => ServeAsync(connection));
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        using (connection)
        {
            try
            {
                var received = await ReadToEndAsync(connection, _stop.Token);
                await SendAllAsync(connection, [.. Encoding.UTF8.GetBytes(Prefix), .. received], _stop.Token);
                connection.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                // the test ended, or the relay dropped the connection
            }
        }
    }

    private static async Task SendAllAsync(Socket socket, byte[] bytes, CancellationToken cancellationToken)
    {
        for (var sent = 0; sent < bytes.Length;)
        {
            sent += await socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None, cancellationToken);
        }
    }

    private static async Task<byte[]> ReadToEndAsync(Socket socket, CancellationToken cancellationToken)
    {
        using var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
        {
            received.Write(buffer, 0, read);
        }

        return received.ToArray();
    }
}
