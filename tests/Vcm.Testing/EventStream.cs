using System.Net;
using System.Text;
using System.Text.Json;

namespace Vcm.Testing;

/// <summary>
/// A Server-Sent Events stream opened by a test (a GET …/watch): reads one event at a time, skipping comments
/// (keep-alives), each read bounded so a missing event fails the test instead of hanging it. Disposing it closes the
/// connection.
/// </summary>
public sealed class EventStream : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private EventStream(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body, Encoding.UTF8);
    }

    /// <summary>Opens the stream; null (with the status) when the server answered something else than 200.</summary>
    public static async Task<(EventStream? Stream, HttpStatusCode Status)> OpenAsync(HttpClient http, string path)
    {
        var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var status = response.StatusCode;
            response.Dispose();
            return (null, status);
        }

        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            response.Dispose();
            throw new InvalidOperationException($"{path} answered {response.Content.Headers.ContentType}, not text/event-stream");
        }

        return (new EventStream(response, await response.Content.ReadAsStreamAsync()), response.StatusCode);
    }

    /// <summary>The next event (type and data as JSON), or null when the server ended the stream.</summary>
    public async Task<(string Event, JsonElement Data)?> NextAsync()
    {
        using var patience = new CancellationTokenSource(Patience);
        string? type = null;
        var data = new StringBuilder();
        while (true)
        {
            string? line;
            try
            {
                line = await _reader.ReadLineAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no event within {Patience.TotalSeconds} s");
            }

            if (line is null)
            {
                return null;
            }

            if (line.Length == 0)
            {
                if (type is not null || data.Length > 0)
                {
                    using var json = JsonDocument.Parse(data.ToString());
                    return (type ?? "message", json.RootElement.Clone());
                }

                continue;
            }

            if (line.StartsWith(':'))
            {
                continue;
            }

            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line["data: ".Length..]);
            }
        }
    }

    /// <summary>Reads events until one matches, returning it and every event before it.</summary>
    public async Task<List<(string Event, JsonElement Data)>> UntilAsync(Func<string, JsonElement, bool> match)
    {
        var seen = new List<(string Event, JsonElement Data)>();
        while (await NextAsync() is { } next)
        {
            seen.Add(next);
            if (match(next.Event, next.Data))
            {
                return seen;
            }
        }

        throw new InvalidOperationException("the stream ended before the event looked for: " + string.Join(", ", seen.Select(s => $"{s.Event} {s.Data}")));
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
