using System.Text;

namespace Zones.Tests.Feeds;

/// <summary>One dispatched block of an event stream, as a client sees it.</summary>
public sealed record SseBlock(string? Id, string? Event, string? Data, string? Retry, IReadOnlyList<string> Comments);

/// <summary>A small text/event-stream reader over any stream (HttpClient's response body), for tests.</summary>
public sealed class SseClient(Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream, Encoding.UTF8);

    /// <summary>Reads up to the next blank line and returns what the block held; null at the end of the stream.</summary>
    public async Task<SseBlock?> ReadBlockAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        string? id = null, name = null, retry = null;
        List<string>? data = null;
        var comments = new List<string>();
        var any = false;
        while (true)
        {
            var line = await _reader.ReadLineAsync(cts.Token);
            if (line is null) return any ? new SseBlock(id, name, data is null ? null : string.Join("\n", data), retry, comments) : null;
            if (line.Length == 0)
            {
                if (!any) continue;
                return new SseBlock(id, name, data is null ? null : string.Join("\n", data), retry, comments);
            }
            any = true;
            if (line.StartsWith(':')) { comments.Add(line[1..].TrimStart()); continue; }
            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' ')) value = value[1..];
            switch (field)
            {
                case "id": id = value; break;
                case "event": name = value; break;
                case "data": (data ??= []).Add(value); break;
                case "retry": retry = value; break;
            }
        }
    }

    /// <summary>The next block that carries data, skipping retry and comment blocks.</summary>
    public async Task<SseBlock> ReadEventAsync(TimeSpan? timeout = null)
    {
        while (true)
        {
            var block = await ReadBlockAsync(timeout) ?? throw new EndOfStreamException("The event stream ended.");
            if (block.Data is not null) return block;
        }
    }

    public void Dispose() => _reader.Dispose();
}
