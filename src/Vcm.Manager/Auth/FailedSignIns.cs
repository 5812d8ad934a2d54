using System.Collections.Concurrent;
using System.Net;

namespace Vcm.Manager.Auth;

/// <summary>
/// Counts requests with a wrong token per address in a sliding minute; past <see cref="Limit"/> the address waits
/// until its oldest failure leaves the window (429 with Retry-After). Guessing tokens becomes slow; a right token
/// is not slowed while the address is under the limit.
/// </summary>
public sealed class FailedSignIns(TimeProvider clock, int limit = FailedSignIns.DefaultLimit)
{
    public const int DefaultLimit = 30;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<IPAddress, Queue<DateTimeOffset>> _failures = new();

    public int Limit => limit;

    public void Record(IPAddress? address)
    {
        var queue = _failures.GetOrAdd(address ?? IPAddress.None, _ => new Queue<DateTimeOffset>());
        lock (queue)
        {
            Trim(queue, clock.GetUtcNow());
            queue.Enqueue(clock.GetUtcNow());
        }
    }

    /// <summary>How long the address must wait, or null when it may try.</summary>
    public TimeSpan? RetryAfter(IPAddress? address)
    {
        if (!_failures.TryGetValue(address ?? IPAddress.None, out var queue))
        {
            return null;
        }

        lock (queue)
        {
            var now = clock.GetUtcNow();
            Trim(queue, now);
            return queue.Count >= limit ? queue.Peek() + Window - now : null;
        }
    }

    private static void Trim(Queue<DateTimeOffset> queue, DateTimeOffset now)
    {
        while (queue.Count > 0 && queue.Peek() + Window <= now)
        {
            queue.Dequeue();
        }
    }

    /// <summary>A sign-in route's 429 (with Retry-After) when the caller's address has failed too often; null when it may try.</summary>
    public Microsoft.AspNetCore.Http.IResult? Refusal(Microsoft.AspNetCore.Http.HttpContext http)
    {
        if (RetryAfter(http.Connection.RemoteIpAddress) is not { } wait)
        {
            return null;
        }

        http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Microsoft.AspNetCore.Http.Results.Problem(
            title: "Too many failed sign-ins", detail: $"Too many failed sign-ins came from this address; try again in {Math.Ceiling(wait.TotalSeconds)} s.",
            statusCode: Microsoft.AspNetCore.Http.StatusCodes.Status429TooManyRequests, type: Http.Problems.TooManyType);
    }
}
