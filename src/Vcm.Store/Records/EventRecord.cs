using Vcm.Domain.Common;
using Vcm.Domain.Events;

namespace Vcm.Store.Records;

public sealed class EventRecord
{
    /// <summary>The longest message kept; longer ones are cut.</summary>
    public const int MaxMessage = 2000;

    public required string Id { get; set; }

    public required string ClusterId { get; set; }

    public long AtMs { get; set; }

    public required EventType Type { get; set; }

    public required EventReason Reason { get; set; }

    public required string Message { get; set; }

    /// <summary>Which manager wrote it.</summary>
    public required string Source { get; set; }

    public static EventRecord Create(string clusterId, DateTimeOffset at, EventType type, EventReason reason, string message, string source) => new()
    {
        Id = Ids.New(),
        ClusterId = clusterId,
        AtMs = at.ToUnixTimeMilliseconds(),
        Type = type,
        Reason = reason,
        Message = message.Length <= MaxMessage ? message : message[..(MaxMessage - 3)] + "...",
        Source = source,
    };
}
