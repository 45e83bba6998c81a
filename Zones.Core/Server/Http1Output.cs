using System.Buffers;
using System.Text;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using Zones.Http;

namespace Zones.Server;

/// <summary>
/// The only code that writes to a connection, as Kestrel's Http1OutputProducer: response heads,
/// bodies with their framing, 100 Continue, error answers, take-over heads and bytes, sendfile,
/// and every flush — each one timed by the connection's deadlines for the minimum data rate. It
/// counts a body's bytes against its declared length: a longer body fails, a shorter one makes
/// the connection close, so a client never reads one response's bytes as the next one's.
/// </summary>
internal sealed class Http1Output : IResponseSink
{
    private readonly Socket _socket;
    private readonly PipeWriter _pipe;
    private readonly ConnectionDeadlines _deadlines;
    private readonly ResponseFields _fields;
    private readonly ILogger _logger;
    private readonly bool _canSendFile;
    private readonly CountingPipeWriter _raw;
    private BodyFraming _framing;
    private long _framedBytes; // bytes written through WriteBody

    public Http1Output(Socket socket, Stream stream, ConnectionDeadlines deadlines, ResponseFields fields, ILogger logger)
    {
        _socket = socket;
        _pipe = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 4096, leaveOpen: true));
        _deadlines = deadlines;
        _fields = fields;
        _logger = logger;
        // sendfile(2) copies file to socket in the kernel; only a plain socket allows it.
        _canSendFile = stream is NetworkStream;
        _raw = new CountingPipeWriter(_pipe, this);
        BodyWriter = new ResponseBodyWriter(this);
    }

    /// <summary>The one writer every response body of this connection writes through.</summary>
    public ResponseBodyWriter BodyWriter { get; }

    /// <summary>
    /// Writes a response: head, then (unless HEAD, or a status without content) the body in its
    /// framing, then flushes — unless <paramref name="flush"/> is false: a pipelined request is
    /// already arriving, and its answer goes out in the same write (<see cref="HasUnflushed"/>),
    /// as long as the buffer holds less than <see cref="MaxBatchBytes"/>.
    /// The body is disposed however it ends. Returns the body bytes sent and whether the
    /// connection must close after it (a close-delimited or short body).
    /// </summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))] // once a request, awaited once, by the connection
    public async ValueTask<ResponseWritten> WriteResponseAsync(HttpRequest request, ZoneResponse response, ZoneState? state, bool keepAlive, bool flush, CancellationToken cancellationToken)
    {
        var body = response.Body;
        try
        {
            var status = response.Status;
            var bodyAllowed = status >= 200 && status != 204 && status != 304;
            var length = bodyAllowed ? body.Length : null;
            var chunked = bodyAllowed && length is null && request.Version == HttpVersion.Http11;
            var closeDelimited = bodyAllowed && length is null && request.Version == HttpVersion.Http10 && !request.IsHead;
            if (closeDelimited) keepAlive = false;
            var connection = !keepAlive ? ConnectionHeader.Close
                : request.Version == HttpVersion.Http10 ? ConnectionHeader.KeepAlive : ConnectionHeader.None;
            ResponseHeadWriter.Write(_pipe, status, response.Headers, state?.ResponseHeaders, length, chunked, connection, _fields, state?.RemovedResponseHeaders);

            var written = new ResponseWritten(0, closeDelimited);
            if (bodyAllowed && !request.IsHead && length != 0)
            {
                BeginBody(chunked ? BodyFraming.Chunked : length is { } declared ? BodyFraming.Length : BodyFraming.CloseDelimited, length ?? 0);
                try
                {
                    await body.WriteAsync(BodyWriter, cancellationToken);
                }
                catch (FileChangedException)
                {
                    Log.ResponseShort(_logger, request.ToString(), _raw.Count + _framedBytes, length ?? 0);
                    throw;
                }
                catch (Exception e) when (!ConnectionLoss.Is(e))
                {
                    // The head is gone: there is no way to tell the client but to cut the connection.
                    Log.ResponseFailed(_logger, request.ToString(), e);
                    throw new ConnectionAbortedException("The response body failed after the head was sent.", e);
                }
                // Only a body that ended by itself is held to its length: one cut short because
                // the client went away or stopped reading is the client's doing, not a bug to warn of.
                written = EndBody(request, length, closeDelimited);
            }
            if (flush || written.MustClose || UnflushedBytes >= MaxBatchBytes) await FlushAsync(cancellationToken);
            return written;
        }
        finally
        {
            _framing = BodyFraming.None;
            await body.DisposeAsync();
        }
    }

    /// <summary>Lets the body open its file (or whatever it needs) while a clean error can still be sent instead.</summary>
    public static async ValueTask<ZoneResponse> PrepareAsync(ZoneResponse response, CancellationToken cancellationToken)
    {
        try
        {
            await response.Body.PrepareAsync(cancellationToken);
            return response;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            await response.Body.DisposeAsync();
            return ZoneResponse.ForStatus(e is UnauthorizedAccessException ? 403 : 404);
        }
        catch
        {
            await response.Body.DisposeAsync();
            throw;
        }
    }

    private void BeginBody(BodyFraming framing, long declared)
    {
        _framing = framing;
        _framedBytes = 0;
        _raw.Reset(declared);
        BodyWriter.Begin();
    }

    /// <summary>Ends the body's framing: the last chunk, or a check that a declared length was met.</summary>
    private ResponseWritten EndBody(HttpRequest request, long? declared, bool closeDelimited)
    {
        var framing = _framing;
        _framing = BodyFraming.None;
        if (framing == BodyFraming.Chunked) _pipe.Write(ChunkedEncoding.LastChunk);
        if (framing != BodyFraming.Length) return new ResponseWritten(_framedBytes, closeDelimited);
        var sent = _raw.Count + _framedBytes;
        if (sent == declared) return new ResponseWritten(sent, closeDelimited);
        // The head promised more than the body gave: only closing tells the client the body ended.
        Log.ResponseShort(_logger, request.ToString(), sent, declared!.Value);
        return new ResponseWritten(sent, MustClose: true);
    }

    PipeWriter? IResponseSink.RawBody => _framing == BodyFraming.Length ? _raw : null;

    bool IResponseSink.BodyOpen => _framing != BodyFraming.None;

    long IResponseSink.BodyBytes => _raw.Count + _framedBytes;

    void IResponseSink.WriteBody(ReadOnlySpan<byte> data)
    {
        switch (_framing)
        {
            case BodyFraming.None:
                throw new ObjectDisposedException(nameof(ResponseBodyWriter), "The response body has ended.");
            case BodyFraming.Chunked:
                ChunkedEncoding.WriteChunk(_pipe, data);
                _framedBytes += data.Length;
                break;
            case BodyFraming.Length:
                _raw.WriteInBlocks(data); // counted, and refused past the declared length
                break;
            default:
                _pipe.WriteInBlocks(data);
                _framedBytes += data.Length;
                break;
        }
    }

    /// <summary>Writes "100 Continue": the client may send the body it is holding back.</summary>
    public ValueTask WriteContinueAsync(CancellationToken cancellationToken)
    {
        _pipe.Write("HTTP/1.1 100 Continue\r\n\r\n"u8);
        return FlushAsync(cancellationToken);
    }

    /// <summary>Answers a request the server refused, and says the connection closes; returns the body bytes sent (0 when the client was gone).</summary>
    public async ValueTask<long> TryWriteErrorAsync(int status, string reason, CancellationToken cancellationToken)
    {
        var response = ZoneResponse.ForStatus(status, reason);
        try
        {
            var text = ((TextBody)response.Body).Text;
            ResponseHeadWriter.Write(_pipe, status, response.Headers, null, response.Body.Length, chunked: false, ConnectionHeader.Close, _fields);
            ZoneResponse.Utf8.GetBytes(text, _pipe);
            await FlushAsync(cancellationToken);
            return response.Body.Length ?? 0;
        }
        catch (Exception e) when (ConnectionLoss.Is(e))
        {
            return 0; // the client is gone; nothing to tell it
        }
    }

    /// <summary>A take-over's head: status line, Date, Server and the handler's fields, Connection included; nothing for framing.</summary>
    public ValueTask WriteTakeOverHeadAsync(int status, HttpHeaders headers, ZoneState state, CancellationToken cancellationToken)
    {
        ResponseHeadWriter.Write(_pipe, status, headers, state.ResponseHeaders, contentLength: null, chunked: false, ConnectionHeader.Handler, _fields, state.RemovedResponseHeaders);
        return FlushAsync(cancellationToken);
    }

    /// <summary>A take-over's own bytes, written and flushed.</summary>
    public ValueTask WriteAsync(ReadOnlySpan<byte> data, CancellationToken cancellationToken)
    {
        _pipe.WriteInBlocks(data);
        return FlushAsync(cancellationToken);
    }

    /// <summary>True while responses of a pipelined batch wait in the buffer for the batch's one write.</summary>
    public bool HasUnflushed => _pipe.CanGetUnflushedBytes && _pipe.UnflushedBytes > 0;

    /// <summary>
    /// Past this many buffered bytes a response goes out at once, whatever comes after it: a
    /// client that pipelines requests for large answers cannot make the server hold them all
    /// (Kestrel's MaxResponseBufferSize is the same 64 KiB).
    /// </summary>
    public const int MaxBatchBytes = 64 * 1024;

    private long UnflushedBytes => _pipe.CanGetUnflushedBytes ? _pipe.UnflushedBytes : 0;

    /// <summary>Sends what is buffered. While it waits, the deadlines judge the client's progress.</summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        var pending = _pipe.CanGetUnflushedBytes ? _pipe.UnflushedBytes : 0;
        _deadlines.WriteStarted();
        try
        {
            var result = await _pipe.FlushAsync(cancellationToken);
            if (result.IsCanceled) throw new OperationCanceledException("The write was cancelled.");
        }
        finally
        {
            _deadlines.WriteEnded(pending);
        }
    }

    /// <summary>
    /// sendfile for a file range of a body of declared length on a plain socket: flush what is
    /// buffered (the head), then let the kernel copy the file to the socket in slices. False when
    /// the body is framed or the connection is not a plain socket; the caller then copies.
    /// </summary>
    public async ValueTask<bool> TrySendFileAsync(SafeFileHandle file, long offset, long length, CancellationToken cancellationToken)
    {
        // SendPacketsAsync takes only handles opened for asynchronous I/O (FileOptions.Asynchronous).
        if (!_canSendFile || _framing != BodyFraming.Length || !file.IsAsync) return false;
        _raw.EnsureRoomFor(length);
        await FlushAsync(cancellationToken);
        while (length > 0)
        {
            var count = (int)Math.Min(SendFileSizes.SliceLength, length);
            _deadlines.WriteStarted();
            var sent = 0L;
            try
            {
                sent = await SendFile.SendAsync(_socket, file, offset, count, cancellationToken);
            }
            catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.InvalidArgument } && RandomAccess.GetLength(file) < offset + count)
            {
                throw new FileChangedException(); // the kernel refuses a range past the file's new end
            }
            finally
            {
                _deadlines.WriteEnded(sent);
                _raw.AddSent(sent);
            }
            // A file cut short under us: the kernel sends what there is, and the rest never comes.
            if (sent < count) throw new FileChangedException();
            offset += count;
            length -= count;
        }
        return true;
    }

    /// <summary>
    /// A body of declared length held in memory, on a plain socket: what is buffered (the head,
    /// and answers of the batch before it) is sent, then the bytes themselves, in slices timed
    /// like sendfile's, without copying them into the output's buffers first. False when the
    /// body is framed or the connection is not a plain socket; the caller then copies.
    /// </summary>
    public async ValueTask<bool> TrySendBytesAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (!_canSendFile || _framing != BodyFraming.Length) return false;
        _raw.EnsureRoomFor(bytes.Length);
        await FlushAsync(cancellationToken);
        while (!bytes.IsEmpty)
        {
            var slice = bytes[..Math.Min(bytes.Length, SendFileSizes.SliceLength)];
            _deadlines.WriteStarted();
            var sent = 0;
            try
            {
                sent = await _socket.SendAsync(slice, SocketFlags.None, cancellationToken); // all of it, on a stream socket
            }
            catch (SocketException e)
            {
                throw new IOException($"send failed: {e.SocketErrorCode}", e); // as the pipe's NetworkStream reports it
            }
            finally
            {
                _deadlines.WriteEnded(sent);
                _raw.AddSent(sent);
            }
            bytes = bytes[sent..];
        }
        return true;
    }

    /// <summary>Writes out whatever is still buffered (bytes a take-over left behind), timed like any write, and ends the output.</summary>
    public async ValueTask CompleteAsync()
    {
        _deadlines.WriteStarted();
        try
        {
            await _pipe.CompleteAsync();
        }
        finally
        {
            _deadlines.WriteEnded(0);
        }
    }

    /// <summary>
    /// Over MaxConnections: a 503 with Retry-After, written straight to a socket that gets no
    /// connection loop, then a brief lingering close so the client can read it before the reset.
    /// </summary>
    public static async Task RefuseAsync(Socket socket, ResponseFields fields, byte[] discard)
    {
        try
        {
            var response = ZoneResponse.ForStatus(503, "too many connections").WithHeader(HeaderNames.RetryAfter, "1");
            var head = new ArrayBufferWriter<byte>(256);
            ResponseHeadWriter.Write(head, 503, response.Headers, null, response.Body.Length, chunked: false, ConnectionHeader.Close, fields);
            head.Write(ZoneResponse.Utf8.GetBytes(((TextBody)response.Body).Text));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.SendAsync(head.WrittenMemory, SocketFlags.None, timeout.Token);
            await LingeringClose.DrainAsync(socket, TimeSpan.FromSeconds(2), long.MaxValue, discard);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            socket.Dispose();
        }
    }

    private enum BodyFraming
    {
        None,
        /// <summary>Content-Length: raw bytes, counted against the declared length.</summary>
        Length,
        Chunked,
        /// <summary>An HTTP/1.0 response of unknown length: raw bytes, ended by closing the connection.</summary>
        CloseDelimited,
    }
}

/// <summary>A response as it went out: its body bytes, and whether the connection must close after it.</summary>
internal readonly record struct ResponseWritten(long Bytes, bool MustClose);
