using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Zones.Server;

/// <summary>
/// Formats an access-log line straight into UTF-8 bytes, allocating nothing for the usual request:
/// <c>2026-12-02T14:07:04.123Z 127.0.0.1:51234 - "GET /hello HTTP/1.1" 200 13 0.3ms</c> — the time
/// (UTC), then the fields the logger's line has, in its order and spelling (see <see cref="AccessLogFields"/>).
/// </summary>
internal static class AccessLine
{
    public static void Write(IBufferWriter<byte> output, in AccessRecord record)
    {
        var span = output.GetSpan(64);
        record.Time.TryFormat(span, out var n, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        span[n++] = (byte)' ';
        output.Advance(n);
        WriteRemote(output, record);
        Ascii(output, " ");
        Text(output, AccessLogFields.User(record.User));
        Ascii(output, " \"");
        if (record is not { Method: { } method, Target: { } target, Protocol: { } protocol }) Ascii(output, "-");
        else if (AccessLogFields.MayHoldToken(target)) Text(output, AccessLogFields.RequestLine(method, target, protocol));
        else
        {
            Text(output, method);
            Ascii(output, " ");
            Text(output, target);
            Ascii(output, " ");
            Ascii(output, protocol);
        }
        Ascii(output, "\" ");
        span = output.GetSpan(64);
        Utf8Formatter.TryFormat(record.Status, span, out n);
        span[n++] = (byte)' ';
        Utf8Formatter.TryFormat(record.Bytes, span[n..], out var written);
        n += written;
        span[n++] = (byte)' ';
        record.Milliseconds.TryFormat(span[n..], out written, "0.0", CultureInfo.InvariantCulture);
        n += written;
        "ms\n"u8.CopyTo(span[n..]);
        output.Advance(n + 3);
    }

    // As IPEndPoint.ToString: "127.0.0.1:51234", "[::1]:51234".
    private static void WriteRemote(IBufferWriter<byte> output, in AccessRecord record)
    {
        if (record.Remote is not { } remote)
        {
            Ascii(output, "-");
            return;
        }
        var span = output.GetSpan(64);
        var n = 0;
        var v6 = remote.AddressFamily == AddressFamily.InterNetworkV6;
        if (v6) span[n++] = (byte)'[';
        remote.Address.TryFormat(span[n..], out var written);
        n += written;
        if (v6) span[n++] = (byte)']';
        span[n++] = (byte)':';
        Utf8Formatter.TryFormat(remote.Port, span[n..], out written);
        output.Advance(n + written);
    }

    private static void Ascii(IBufferWriter<byte> output, string text) => Encoding.ASCII.GetBytes(text, output);

    private static void Text(IBufferWriter<byte> output, string text) => Encoding.UTF8.GetBytes(text, output);
}
