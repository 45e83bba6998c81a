using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Zones.Server;

/// <summary>
/// The access log of <see cref="ServerOptions.AccessLog"/>, as nginx's <c>access_log … buffer=</c>:
/// a request only queues its <see cref="AccessRecord"/>; one background loop formats the records
/// (<see cref="AccessLine"/>) and writes them in blocks of up to 64 KiB, as soon as the queue is
/// empty, so lines appear at once at low load and cost one write per block under load. When the
/// loop falls behind by a whole queue, lines are dropped — never the request held up — and the
/// count is logged as a warning once a second.
/// </summary>
internal sealed class AccessLogWriter : IAsyncDisposable
{
    private const int QueueSize = 16 * 1024;
    private const int BlockSize = 64 * 1024;

    private readonly Channel<AccessRecord> _queue = Channel.CreateBounded<AccessRecord>(new BoundedChannelOptions(QueueSize)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait, // TryWrite says false when full; nothing waits
    });
    private readonly Stream _output;
    private readonly ILogger _logger;
    private readonly Task _writing;
    private long _dropped;

    private AccessLogWriter(Stream output, ILogger logger)
    {
        _output = output;
        _logger = logger;
        _writing = Task.Run(WriteLoopAsync);
    }

    /// <summary>Opens <paramref name="target"/> for appending ("-": standard output); throws as opening a file does.</summary>
    public static AccessLogWriter Open(string target, ILogger logger) =>
        new(target == "-" ? Console.OpenStandardOutput()
            : new FileStream(target, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0), logger);

    /// <summary>Queues a line; never waits.</summary>
    public void Add(in AccessRecord record)
    {
        if (!_queue.Writer.TryWrite(record)) Interlocked.Increment(ref _dropped);
    }

    private async Task WriteLoopAsync()
    {
        var block = new ArrayBufferWriter<byte>(BlockSize + 1024);
        var reader = _queue.Reader;
        var failing = false;
        var lastDropReport = Environment.TickCount64;
        while (await reader.WaitToReadAsync())
        {
            while (block.WrittenCount < BlockSize && reader.TryRead(out var record)) AccessLine.Write(block, record);
            try
            {
                await _output.WriteAsync(block.WrittenMemory);
                await _output.FlushAsync();
                if (failing) Log.AccessLogRecovered(_logger);
                failing = false;
            }
            catch (IOException e)
            {
                // A full disk or a closed pipe: the lines are lost, the server goes on.
                if (!failing) Log.AccessLogWriteFailed(_logger, e);
                failing = true;
            }
            block.ResetWrittenCount();
            if (Environment.TickCount64 - lastDropReport >= 1000 && Interlocked.Exchange(ref _dropped, 0) is > 0 and var dropped)
            {
                Log.AccessLogDropped(_logger, dropped);
                lastDropReport = Environment.TickCount64;
            }
        }
    }

    /// <summary>Writes what is queued, then closes the output (for "-", a duplicate of standard output's handle).</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writing;
        if (Interlocked.Exchange(ref _dropped, 0) is > 0 and var dropped) Log.AccessLogDropped(_logger, dropped);
        await _output.DisposeAsync();
    }
}
