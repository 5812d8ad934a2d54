using System.Net.Http.Json;

namespace Vcm.Bench;

/// <summary>
/// One browser's watch without the browser: its own session (POST /api/v1/session with web: true, as the portal's
/// sign-in form does) and then the exact request an EventSource makes for GET /api/v1/watch (Accept:
/// text/event-stream, Cache-Control: no-cache, the session cookie), read to the end as it arrives, counting events.
/// </summary>
internal sealed class SseWatcher : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private Task _reading = Task.CompletedTask;
    private int _events;

    private SseWatcher(HttpClient http) => _http = http;

    /// <summary>Events (the lines "event: …") received so far.</summary>
    public int Events => Volatile.Read(ref _events);

    /// <summary>Signs in and connects; returns once the stream's headers have arrived (the manager has subscribed it).</summary>
    public static async Task<SseWatcher> ConnectAsync(string server, string user, string password, string path, CancellationToken cancellationToken)
    {
        var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = new Uri(server), Timeout = Timeout.InfiniteTimeSpan };
        var watcher = new SseWatcher(http);
        try
        {
            using var signIn = await http.PostAsJsonAsync("/api/v1/session", new { user, password, web = true }, cancellationToken);
            signIn.EnsureSuccessStatusCode();
            var cookie = signIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("vcm_session=", StringComparison.Ordinal));
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.ParseAdd("text/event-stream");
            request.Headers.CacheControl = new System.Net.Http.Headers.CacheControlHeaderValue { NoCache = true };
            request.Headers.Add("Cookie", cookie);
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            watcher._reading = watcher.ReadAsync(response, watcher._stop.Token);
            return watcher;
        }
        catch
        {
            await watcher.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reading;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            // stopped by us, or the manager ended the stream: either way it is over
        }

        _http.Dispose();
        _stop.Dispose();
    }

    private async Task ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref _events);
                }
            }
        }
    }
}
