using Microsoft.Extensions.Logging;

namespace Vcm.Agent.Tests.Linux.Metadata;

/// <summary>A logger writing to its <see cref="ListLoggerProvider"/>.</summary>
public sealed class ListLogger(ListLoggerProvider provider, string category) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            provider.Add(category, eventId.Id, formatter(state, exception));
        }
    }
}
