using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vcm.Drivers;

namespace Vcm.Agent.Linux.Compute;

/// <summary>A minimal QEMU Machine Protocol client over the VM's unix socket: one command at a time, events skipped.</summary>
internal sealed class QmpClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;
    private readonly StreamWriter _writer;

    private QmpClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _reader = new StreamReader(_stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        _writer = new StreamWriter(_stream, new UTF8Encoding(false), leaveOpen: true) { AutoFlush = true, NewLine = "\n" };
    }

    /// <summary>Connects, reads the greeting and leaves capabilities negotiation mode.</summary>
    public static async Task<QmpClient> ConnectAsync(string socketPath, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
            var client = new QmpClient(socket);
            await client.ReadMessageAsync(cancellationToken);
            await client.ExecuteAsync("qmp_capabilities", cancellationToken);
            return client;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Runs one command and answers its "return" value; an "error" answer throws a <see cref="DriverException"/>.</summary>
    public async Task<JsonNode?> ExecuteAsync(string command, CancellationToken cancellationToken, JsonObject? arguments = null)
    {
        var message = new JsonObject { ["execute"] = command };
        if (arguments is not null)
        {
            message["arguments"] = arguments;
        }

        await _writer.WriteLineAsync(message.ToJsonString().AsMemory(), cancellationToken);
        while (true)
        {
            var reply = await ReadMessageAsync(cancellationToken);
            if (reply.ContainsKey("event"))
            {
                continue;
            }

            if (reply["error"] is JsonObject error)
            {
                throw new DriverException($"QMP {command}: {error["desc"]}");
            }

            return reply["return"];
        }
    }

    private async Task<JsonObject> ReadMessageAsync(CancellationToken cancellationToken)
    {
        var line = await _reader.ReadLineAsync(cancellationToken) ?? throw new IOException("QMP connection closed");
        return JsonNode.Parse(line) as JsonObject ?? throw new JsonException("QMP sent a message that is not an object: " + line);
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        try
        {
            await _writer.DisposeAsync();
        }
        catch (IOException)
        {
            // QEMU may have closed the socket (quit).
        }

        await _stream.DisposeAsync();
        _socket.Dispose();
    }
}
