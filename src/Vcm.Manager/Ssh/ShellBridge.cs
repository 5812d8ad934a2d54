using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Vcm.Manager.Ssh;

/// <summary>
/// Joins a browser's WebSocket to a node's shell: binary frames both ways are the terminal's bytes; a text frame
/// <c>{"resize":{"cols":N,"rows":N}}</c> resizes it (other text is ignored). When the shell ends the socket is closed
/// with 1000; when the browser goes the shell is closed.
/// </summary>
public static class ShellBridge
{
    public const int MaxSize = 1000;

    public static async Task RunAsync(WebSocket socket, NodeShell shell, CancellationToken cancellationToken)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // ShellStream reads block: the output gets a thread of its own
        var output = Task.Factory.StartNew(() => OutputAsync(socket, shell, done.Token), done.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        var input = InputAsync(socket, shell, done.Token);
        var first = await Task.WhenAny(output, input);
        if (first == output && socket.State == WebSocketState.Open)
        {
            await CloseAsync(socket, WebSocketCloseStatus.NormalClosure, "the shell ended", cancellationToken);
        }

        await done.CancelAsync();
        await shell.DisposeAsync(); // ends a blocked read
        await Task.WhenAll(Quietly(output), Quietly(input));
    }

    /// <summary>Closes the socket with a reason cut to the 123 bytes a close frame holds.</summary>
    public static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string reason, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(reason);
        var cut = bytes.Length <= 123 ? reason : Encoding.UTF8.GetString(bytes, 0, 120).TrimEnd('\uFFFD') + "...";
        try
        {
            await socket.CloseAsync(status, cut, cancellationToken);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // the browser went first
        }
    }

    private static async Task OutputAsync(WebSocket socket, NodeShell shell, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        while (!cancellationToken.IsCancellationRequested)
        {
            var read = shell.Stream.Read(buffer, 0, buffer.Length);
            if (read == 0)
            {
                return;
            }

            await socket.SendAsync(buffer.AsMemory(0, read), WebSocketMessageType.Binary, true, cancellationToken);
        }
    }

    private static async Task InputAsync(WebSocket socket, NodeShell shell, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var text = new MemoryStream();
        while (true)
        {
            var frame = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
            switch (frame.MessageType)
            {
                case WebSocketMessageType.Close:
                    return;
                case WebSocketMessageType.Binary:
                    await shell.Stream.WriteAsync(buffer.AsMemory(0, frame.Count), cancellationToken);
                    shell.Stream.Flush();
                    break;
                case WebSocketMessageType.Text:
                    text.Write(buffer, 0, frame.Count);
                    if (frame.EndOfMessage)
                    {
                        if (Resize(text.ToArray()) is { } size)
                        {
                            shell.Resize(size.Columns, size.Rows);
                        }

                        text.SetLength(0);
                    }

                    break;
            }
        }
    }

    /// <summary>The size a <c>{"resize":{"cols":N,"rows":N}}</c> message asks for (each 1–1000); null for anything else.</summary>
    public static (uint Columns, uint Rows)? Resize(byte[] message)
    {
        try
        {
            using var json = JsonDocument.Parse(message);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("resize", out var resize)
                && resize.ValueKind == JsonValueKind.Object
                && resize.TryGetProperty("cols", out var cols) && cols.TryGetUInt32(out var c) && c is >= 1 and <= MaxSize
                && resize.TryGetProperty("rows", out var rows) && rows.TryGetUInt32(out var r) && r is >= 1 and <= MaxSize)
            {
                return (c, r);
            }
        }
        catch (JsonException)
        {
            // not JSON: ignored, as any other text
        }

        return null;
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException or Renci.SshNet.Common.SshException)
        {
        }
    }
}
