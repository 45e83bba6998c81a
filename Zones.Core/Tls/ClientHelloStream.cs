using System.Buffers;

namespace Zones.Tls;

/// <summary>
/// The connection's stream under SslStream, able to read the client's first TLS message ahead
/// (<see cref="ReadHelloAsync"/>) and then replay those bytes to SslStream as if unread — the
/// take-over stream's trick, at the TLS layer. Used only when tls-alpn-01 must be answered.
/// </summary>
internal sealed class ClientHelloStream(Stream inner) : Stream
{
    private byte[]? _buffer;  // pooled; the bytes read ahead
    private int _offset;
    private int _count;

    /// <summary>
    /// Reads until the ClientHello is complete, the bytes cannot be one, the buffer is full or the
    /// client closes; null unless a hello was parsed. Never throws for what the client sent.
    /// </summary>
    public async ValueTask<ClientHello?> ReadHelloAsync(CancellationToken cancellationToken)
    {
        // A hello is rarely over 2 KiB: start small (a client that stalls holds only this) and
        // grow to the bound only for a hello that needs it.
        _buffer ??= ArrayPool<byte>.Shared.Rent(4096);
        while (true)
        {
            if (_count == _buffer.Length)
            {
                if (_buffer.Length >= MaxRead) return null;
                var larger = ArrayPool<byte>.Shared.Rent(MaxRead);
                _buffer.AsSpan(0, _count).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }
            var read = await inner.ReadAsync(_buffer.AsMemory(_count), cancellationToken);
            if (read == 0) return null;
            _count += read;
            switch (ClientHello.TryParse(_buffer.AsSpan(0, _count), out var hello))
            {
                case ClientHelloParse.Parsed: return hello;
                case ClientHelloParse.Invalid: return null;
            }
        }
    }

    // The longest hello, with the headers of the records it may span.
    private const int MaxRead = ClientHello.MaxLength + 256;

    // It stays under SslStream for the connection's life: once the hello is replayed, a read is
    // the inner stream's own, with no state machine of ours around it.
    public override ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default) =>
        _count == 0 ? inner.ReadAsync(destination, cancellationToken) : ValueTask.FromResult(Replay(destination.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(Span<byte> destination) => _count == 0 ? inner.Read(destination) : Replay(destination);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    private int Replay(Span<byte> destination)
    {
        var n = Math.Min(destination.Length, _count);
        _buffer.AsSpan(_offset, n).CopyTo(destination);
        _offset += n;
        _count -= n;
        if (_count == 0) ReturnBuffer();
        return n;
    }

    private void ReturnBuffer()
    {
        if (_buffer is { } buffer) ArrayPool<byte>.Shared.Return(buffer);
        _buffer = null;
        _offset = _count = 0;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default) => inner.WriteAsync(source, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(ReadOnlySpan<byte> source) => inner.Write(source);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            ReturnBuffer();
        }
        base.Dispose(disposing);
    }
}
