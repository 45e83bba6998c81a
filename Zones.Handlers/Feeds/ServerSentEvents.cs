using System.Buffers;
using System.Globalization;
using System.Text;

namespace Zones.Handlers.Feeds;

/// <summary>
/// The text/event-stream format (HTML Living Standard §9.2): "id:", "event:" and one "data:"
/// line per line of data (CR, LF and CRLF all end a line there, so each becomes its own data
/// line and the client joins them with LF), then a blank line; ":" starts a comment.
/// </summary>
internal static class ServerSentEvents
{
    /// <summary>The event's bytes, for <see cref="FeedEvent.ServerSentEvent"/> to keep.</summary>
    public static byte[] Encode(FeedEvent e)
    {
        var output = new ArrayBufferWriter<byte>(64 + 3 * (e.Id.Length + e.Name.Length + e.Data.Length));
        WriteEvent(output, e);
        return output.WrittenSpan.ToArray();
    }

    private static void WriteEvent(IBufferWriter<byte> output, FeedEvent e)
    {
        Write(output, "id: ");
        Write(output, e.Id);
        Write(output, "\n");
        if (e.Name != FeedEvent.DefaultName)
        {
            Write(output, "event: ");
            Write(output, e.Name);
            Write(output, "\n");
        }
        var data = e.Data.AsSpan();
        while (true)
        {
            var end = data.IndexOfAny('\r', '\n');
            Write(output, "data: ");
            Write(output, end < 0 ? data : data[..end]);
            Write(output, "\n");
            if (end < 0) break;
            var skip = data[end] == '\r' && end + 1 < data.Length && data[end + 1] == '\n' ? 2 : 1;
            data = data[(end + skip)..];
        }
        Write(output, "\n");
    }

    public static void WriteRetry(IBufferWriter<byte> output, int milliseconds) =>
        Write(output, $"retry: {milliseconds.ToString(CultureInfo.InvariantCulture)}\n\n");

    public static void WriteComment(IBufferWriter<byte> output, string text) => Write(output, $": {text}\n\n");

    private static void Write(IBufferWriter<byte> output, ReadOnlySpan<char> text) => Encoding.UTF8.GetBytes(text, output);
}
