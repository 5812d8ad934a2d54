using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Vcm.Agent.Metadata;

namespace Vcm.Agent.Tests.Linux.Metadata;

/// <summary>
/// A metadata service in-process on loopback over a gateway folder, and requests to it from chosen loopback addresses
/// (127.0.0.11, …), so that the source-address check is the real one.
/// </summary>
internal sealed class MetadataHarness : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MetadataHarness(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<MetadataHarness> StartAsync(string directory, ILoggerProvider? log, TimeProvider? clock, CancellationToken cancellationToken)
    {
        var app = MetadataServer.Build(
            new MetadataServerOptions { Directory = directory, Listen = "http://127.0.0.1:0" },
            l =>
            {
                if (log is not null)
                {
                    l.AddProvider(log);
                }
            },
            clock);
        await app.StartAsync(cancellationToken);
        return new MetadataHarness(app, new Uri(MetadataServer.ListeningUrl(app)));
    }

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string from, string? token, string path, CancellationToken cancellationToken)
    {
        var (status, body) = await GetBytesAsync(from, token, path, cancellationToken);
        return (status, System.Text.Encoding.UTF8.GetString(body));
    }

    public async Task<(HttpStatusCode Status, byte[] Body)> GetBytesAsync(string from, string? token, string path, CancellationToken cancellationToken)
    {
        using var client = From(from);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Url, path));
        if (token is not null)
        {
            request.Headers.Add(MetadataServer.TokenHeader, token);
        }

        using var response = await client.SendAsync(request, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(cancellationToken));
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    /// <summary>An HTTP client whose connections come from this loopback address.</summary>
    public static HttpClient From(string source) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    });
}
