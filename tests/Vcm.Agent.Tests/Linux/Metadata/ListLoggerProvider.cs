using Microsoft.Extensions.Logging;

namespace Vcm.Agent.Tests.Linux.Metadata;

/// <summary>A logger provider that keeps every line logged (category, event id, message), for tests to read.</summary>
public sealed class ListLoggerProvider : ILoggerProvider
{
    private readonly List<(string Category, int EventId, string Message)> _lines = [];

    public IReadOnlyList<(string Category, int EventId, string Message)> Lines
    {
        get
        {
            lock (_lines)
            {
                return _lines.ToList();
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new ListLogger(this, categoryName);

    public void Dispose()
    {
    }

    internal void Add(string category, int eventId, string message)
    {
        lock (_lines)
        {
            _lines.Add((category, eventId, message));
        }
    }
}
