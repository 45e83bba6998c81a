using System.Net.Sockets;
using System.Text;

namespace Zones.Tests.Infrastructure;

/// <summary>
/// A plain TCP client for what HttpClient cannot send: malformed heads, pipelining, bytes
/// trickled one at a time. Reads responses with a small HTTP/1.1 parser of its own.
/// </summary>
public sealed class RawConnection(Socket socket) : IAsyncDisposable
{
    private readonly MemoryStream _pending = new();
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public Socket Socket { get; } = socket;

    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        var sent = 0;
        while (sent < bytes.Length) sent += await Socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None);
    }

    /// <summary>Reads one response (head and body by its framing). With <paramref name="head"/> the body is not expected (HEAD).</summary>
    public async Task<RawResponse> ReadResponseAsync(bool head = false, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var headText = await ReadUntilAsync("\r\n\r\n"u8.ToArray(), cts.Token)
            ?? throw new IOException("The connection closed before a response head arrived. Got: " + Encoding.Latin1.GetString(_pending.ToArray()));
        var response = RawResponse.ParseHead(Encoding.Latin1.GetString(headText));
        if (head || response.Status is 204 or 304 || response.Status < 200) return response;

        if (response.Headers.TryGetValue("Content-Length", out var cl))
        {
            response.Body = await ReadExactlyAsync(int.Parse(cl), cts.Token);
        }
        else if (response.Headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            var body = new MemoryStream();
            while (true)
            {
                var sizeLine = Encoding.ASCII.GetString(await ReadUntilAsync("\r\n"u8.ToArray(), cts.Token) ?? throw new IOException("closed inside a chunked body"));
                var size = Convert.ToInt32(sizeLine.Split(';')[0].Trim(), 16);
                if (size == 0)
                {
                    while ((await ReadUntilAsync("\r\n"u8.ToArray(), cts.Token))?.Length > 2) { } // trailers up to the empty line
                    break;
                }
                body.Write(await ReadExactlyAsync(size, cts.Token));
                await ReadExactlyAsync(2, cts.Token);
            }
            response.Body = body.ToArray();
        }
        else
        {
            response.Body = await ReadToEndAsync(cts.Token);
        }
        return response;
    }

    /// <summary>A response head only, up to its empty line; the body stays unread.</summary>
    public async Task<string> ReadHeadAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var head = await ReadUntilAsync("\r\n\r\n"u8.ToArray(), cts.Token) ?? throw new IOException("closed before a response head arrived");
        return Encoding.Latin1.GetString(head);
    }

    /// <summary>Reads up to and including the next LF.</summary>
    public async Task<string> ReadLineAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var line = await ReadUntilAsync("\n"u8.ToArray(), cts.Token) ?? throw new IOException("closed before a line arrived");
        return Encoding.Latin1.GetString(line);
    }

    /// <summary>True when the server closes the connection (or resets it) within the timeout; bytes that arrive first are kept.</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var n = await Socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                if (n == 0) return true;
                _pending.Write(buffer, 0, n);
            }
        }
        catch (OperationCanceledException) { return false; }
        catch (SocketException) { return true; }
    }

    public async Task<byte[]> ReadToEndAsync(CancellationToken cancellationToken = default)
    {
        var buffer = new byte[8192];
        while (true)
        {
            int n;
            try { n = await Socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken); }
            catch (SocketException) { break; }
            if (n == 0) break;
            _pending.Write(buffer, 0, n);
        }
        var all = _pending.ToArray();
        _pending.SetLength(0);
        return all;
    }

    /// <summary>Everything received so far that no response parse consumed.</summary>
    public byte[] Unread => _pending.ToArray();

    private async Task<byte[]?> ReadUntilAsync(byte[] delimiter, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        while (true)
        {
            var data = _pending.GetBuffer().AsSpan(0, (int)_pending.Length);
            var at = data.IndexOf(delimiter);
            if (at >= 0)
            {
                var result = data[..(at + delimiter.Length)].ToArray();
                Consume(at + delimiter.Length);
                return result;
            }
            int n;
            try { n = await Socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken); }
            catch (SocketException) { return null; }
            if (n == 0) return null;
            _pending.Write(buffer, 0, n);
        }
    }

    /// <summary>Exactly <paramref name="count"/> bytes; throws <see cref="IOException"/> when the connection closes first.</summary>
    public async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        while (_pending.Length < count)
        {
            var n = await Socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (n == 0) throw new IOException($"closed after {_pending.Length} of {count} body bytes");
            _pending.Write(buffer, 0, n);
        }
        var result = _pending.GetBuffer().AsSpan(0, count).ToArray();
        Consume(count);
        return result;
    }

    private void Consume(int count)
    {
        var rest = _pending.GetBuffer().AsSpan(count, (int)_pending.Length - count).ToArray();
        _pending.SetLength(0);
        _pending.Write(rest);
    }

    public ValueTask DisposeAsync()
    {
        Socket.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed class RawResponse
{
    public int Status { get; private init; }

    public string StatusLine { get; private init; } = "";

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<KeyValuePair<string, string>> HeaderList { get; } = [];

    public byte[] Body { get; set; } = [];

    public string BodyText => Encoding.UTF8.GetString(Body);

    public static RawResponse ParseHead(string head)
    {
        var lines = head.Split("\r\n");
        var response = new RawResponse { StatusLine = lines[0], Status = int.Parse(lines[0].Split(' ')[1]) };
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var colon = line.IndexOf(':');
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim();
            response.HeaderList.Add(new(name, value));
            response.Headers.TryAdd(name, value);
        }
        return response;
    }
}
