using System.Buffers;
using System.Buffers.Text;
using System.Collections.Immutable;
using System.Text;

namespace Zones.Http;

/// <summary>Writes a response head: status line, the server's own fields, then the handler's.</summary>
internal static class ResponseHeadWriter
{
    private static readonly byte[]?[] StatusLines = new byte[1000][];

    public static ReadOnlySpan<byte> StatusLine(int status)
    {
        var line = StatusLines[status];
        if (line is null)
        {
            line = Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {ReasonPhrases.For(status)}\r\n");
            StatusLines[status] = line;
        }
        return line;
    }

    /// <summary>Fields the server owns: a handler's own value for these is not sent.</summary>
    internal static bool IsServerOwned(string name) =>
        name.Length switch
        {
            4 => name.Equals(HeaderNames.Date, StringComparison.OrdinalIgnoreCase),
            10 => name.Equals(HeaderNames.Connection, StringComparison.OrdinalIgnoreCase) || name.Equals(HeaderNames.KeepAlive, StringComparison.OrdinalIgnoreCase),
            14 => name.Equals(HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase),
            17 => name.Equals(HeaderNames.TransferEncoding, StringComparison.OrdinalIgnoreCase),
            _ => false,
        };

    /// <summary>
    /// Writes the head. <paramref name="provisional"/> fields (the zone state's) are added where
    /// <paramref name="headers"/> has none of that name — except Vary, whose lists add up (a cors
    /// zone's "Origin" and staticfile's "Accept-Encoding" are both true); fields named in
    /// <paramref name="removed"/> (a headers zone's Remove) are left out of the handler's own and
    /// of the listener's (Server, Strict-Transport-Security).
    /// </summary>
    public static void Write(
        IBufferWriter<byte> output, int status, HttpHeaders headers, ImmutableList<KeyValuePair<string, string>>? provisional,
        long? contentLength, bool chunked, ConnectionHeader connection, ResponseFields fields, ImmutableHashSet<string>? removed = null)
    {
        if (removed is { Count: 0 }) removed = null;
        output.Write(StatusLine(status));
        output.Write(DateHeader.Line);
        fields.Write(output, headers, removed);
        if (contentLength is { } length)
        {
            var span = output.GetSpan(40);
            "Content-Length: "u8.CopyTo(span);
            Utf8Formatter.TryFormat(length, span[16..], out var digits);
            span[16 + digits] = (byte)'\r';
            span[17 + digits] = (byte)'\n';
            output.Advance(18 + digits);
        }
        else if (chunked)
        {
            output.Write("Transfer-Encoding: chunked\r\n"u8);
        }
        var offersUpgrade = false;
        foreach (var (name, value) in headers)
        {
            if (removed?.Contains(name) == true) continue;
            if (!IsServerOwned(name) || (connection == ConnectionHeader.Handler && IsConnection(name))) WriteField(output, name, value);
            offersUpgrade |= name.Length == 7 && name.Equals(HeaderNames.Upgrade, StringComparison.OrdinalIgnoreCase);
        }
        // RFC 9110 §7.8: a response that offers an Upgrade (426 from a WebSocket zone) must also
        // name "upgrade" in Connection, so intermediaries strip the offer instead of passing it on.
        // Field order does not matter, so this rides on the loop above instead of a second pass.
        if (offersUpgrade && connection != ConnectionHeader.Handler)
        {
            output.Write(connection switch
            {
                ConnectionHeader.Close => "Connection: upgrade, close\r\n"u8,
                ConnectionHeader.KeepAlive => "Connection: upgrade, keep-alive\r\n"u8,
                _ => "Connection: upgrade\r\n"u8,
            });
        }
        else if (connection == ConnectionHeader.Close) output.Write("Connection: close\r\n"u8);
        else if (connection == ConnectionHeader.KeepAlive) output.Write("Connection: keep-alive\r\n"u8);
        if (provisional is not null)
        {
            foreach (var (name, value) in provisional)
            {
                var own = headers.Contains(name) && removed?.Contains(name) != true;
                if ((!own || IsVary(name)) && !IsServerOwned(name)) WriteField(output, name, value);
            }
        }
        output.Write("\r\n"u8);
    }

    private static bool IsVary(string name) => name.Equals(HeaderNames.Vary, StringComparison.OrdinalIgnoreCase);

    private static bool IsConnection(string name) => name.Equals(HeaderNames.Connection, StringComparison.OrdinalIgnoreCase);

    public static void WriteField(IBufferWriter<byte> output, string name, string value)
    {
        var length = name.Length + 4 + (Ascii.IsValid(value) ? value.Length : Encoding.UTF8.GetByteCount(value));
        var span = output.GetSpan(length);
        var n = Encoding.ASCII.GetBytes(name, span);
        span[n++] = (byte)':';
        span[n++] = (byte)' ';
        n += Encoding.UTF8.GetBytes(value, span[n..]);
        span[n++] = (byte)'\r';
        span[n++] = (byte)'\n';
        output.Advance(n);
    }
}

internal enum ConnectionHeader
{
    /// <summary>Nothing to say: HTTP/1.1 keeps the connection open by default.</summary>
    None,
    Close,
    /// <summary>An HTTP/1.0 client asked to keep the connection and it will be kept.</summary>
    KeepAlive,
    /// <summary>A take-over head (101 Switching Protocols): the handler's own Connection field, e.g. "Upgrade", is sent.</summary>
    Handler,
}
