using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Vcm.Testing;

/// <summary>A logger provider that keeps what is logged (level, category, event id, message, exception) for tests to read.</summary>
public sealed class LogCollector : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => _entries.ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    public sealed record LogEntry(LogLevel Level, string Category, int EventId, string Message, Exception? Exception);

    private sealed class Logger(LogCollector collector, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                collector._entries.Enqueue(new LogEntry(logLevel, category, eventId.Id, formatter(state, exception), exception));
            }
        }
    }
}
