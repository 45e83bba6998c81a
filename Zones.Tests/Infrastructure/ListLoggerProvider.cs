using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Zones.Tests.Infrastructure;

/// <summary>Keeps every log entry in memory so tests can assert on what was logged.</summary>
public sealed class ListLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new ListLogger(this, categoryName);

    public IEnumerable<LogEntry> For(string category) => Entries.Where(e => e.Category == category);

    /// <summary>Waits until an entry matches, because log lines are written after the response is flushed.</summary>
    public async Task<LogEntry> WaitForAsync(Func<LogEntry, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            // Looked at once more after the deadline: a stalled machine may wake this loop late,
            // after the entry came, and that is not the entry's absence.
            var found = Entries.FirstOrDefault(match);
            if (found is not null) return found;
            if (DateTime.UtcNow >= deadline) break;
            await Task.Delay(20);
        }
        throw new TimeoutException("No matching log entry. Entries:\n" + string.Join("\n", Entries.Select(e => e.ToString())));
    }

    public void Dispose() { }

    private sealed class ListLogger(ListLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            provider.Entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), exception));
    }
}

public sealed record LogEntry(string Category, LogLevel Level, string Message, Exception? Exception)
{
    public override string ToString() => $"{Level} {Category}: {Message}{(Exception is null ? "" : " — " + Exception.GetType().Name)}";
}
