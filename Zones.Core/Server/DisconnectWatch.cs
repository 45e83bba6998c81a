using System.IO.Pipelines;

namespace Zones.Server;

/// <summary>
/// Notices a client hanging up (FIN or RST) while nothing else reads its connection — what Go's
/// net/http does with its background read. Two uses. While a handler waits without reading the
/// request (a long poll), bytes that arrive belong to the next pipelined request: the watch looks
/// at them without consuming anything and ends. While a take-over only writes (an event
/// stream), what the client sends means nothing: it is dropped and the watch goes on.
/// </summary>
internal sealed class DisconnectWatch(PipeReader input, Action disconnected)
{
    private CancellationTokenSource? _stop;
    private Task? _watching;

    public bool IsRunning => _watching is not null;

    public void Start(bool discardInput)
    {
        if (_watching is not null) return;
        _stop = new CancellationTokenSource();
        _watching = WatchAsync(discardInput, _stop.Token);
    }

    /// <summary>Ends the watch and waits until it no longer touches the input.</summary>
    public async ValueTask StopAsync()
    {
        if (_watching is not { } watching) return;
        await _stop!.CancelAsync();
        await watching;
        _stop.Dispose();
        _stop = null;
        _watching = null;
    }

    private async Task WatchAsync(bool discardInput, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(stop);
                var buffer = result.Buffer;
                if (result.IsCanceled || !discardInput)
                {
                    // Nothing consumed or examined: these bytes are the next request's.
                    input.AdvanceTo(buffer.Start);
                    if (result.IsCompleted && buffer.IsEmpty) disconnected();
                    return;
                }
                input.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    disconnected();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (ConnectionLoss.Is(e))
        {
            disconnected();
        }
    }
}
