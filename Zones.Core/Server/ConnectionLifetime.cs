using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Zones.Server;

/// <summary>
/// What other threads do to a connection, kept apart from its loop: the heartbeat's deadlines, a
/// graceful stop (finish the request in progress; an idle connection closes at once), a hard
/// abort (cut the socket now) — and the signals the loop reads of them. Every member is safe to
/// call from any thread; the loop itself runs as one logical thread.
/// </summary>
internal sealed class ConnectionLifetime(Socket socket, PipeReader input, ConnectionDeadlines deadlines, ILogger logger, long id)
{
    private readonly CancellationTokenSource _aborted = new();
    private int _idle;          // 1 while the loop waits for a request with nothing buffered
    private int _stopRequested; // 1 once the server asked the connection to finish

    /// <summary>Cancelled when the connection is cut (or its client hung up while a handler waited).</summary>
    public CancellationToken Aborted => _aborted.Token;

    public bool IsAborted => _aborted.IsCancellationRequested;

    public bool StopRequested => Volatile.Read(ref _stopRequested) == 1;

    /// <summary>The loop waits between requests, where a graceful stop may end it; false when the stop came first.</summary>
    public bool EnterIdle()
    {
        Interlocked.Exchange(ref _idle, 1);
        return !StopRequested;
    }

    public void LeaveIdle() => Interlocked.Exchange(ref _idle, 0);

    /// <summary>Called by the heartbeat about once a second.</summary>
    public void OnHeartbeat(long now)
    {
        switch (deadlines.OnHeartbeat(now))
        {
            case HeartbeatVerdict.ReadTimedOut:
                input.CancelPendingRead();
                WakeIdleWait();
                break;
            case HeartbeatVerdict.WriteStalled:
                Log.ConnectionLost(logger, id, "the client stopped reading the response");
                Abort();
                break;
        }
    }

    /// <summary>Graceful: finish the request in progress, then close. An idle connection closes at once.</summary>
    public void RequestStop()
    {
        Interlocked.Exchange(ref _stopRequested, 1);
        if (Volatile.Read(ref _idle) == 1) input.CancelPendingRead();
        WakeIdleWait();
    }

    /// <summary>
    /// Between requests the loop may wait on the socket itself (RequestHeadReader), which a
    /// cancelled pipe read does not wake: shutting the receive side ends that wait as the end of
    /// input, and the loop closes quietly — what an idle connection does at its deadline or a
    /// stop. Only while idle with nothing received: a request that is arriving keeps its bytes.
    /// </summary>
    private void WakeIdleWait()
    {
        if (Volatile.Read(ref _idle) != 1) return;
        try { socket.Shutdown(SocketShutdown.Receive); } catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
    }

    /// <summary>Hard: cancel everything and cut the socket.</summary>
    public void Abort()
    {
        CancelAborted();
        try { socket.Shutdown(SocketShutdown.Both); } catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        socket.Dispose();
    }

    /// <summary>Cancels <see cref="Aborted"/> without touching the socket (the client already left).</summary>
    public void CancelAborted()
    {
        try { _aborted.Cancel(); } catch (ObjectDisposedException) { }
    }

    /// <summary>The end: what is still buffered goes out, a lingering close if asked, then the socket is closed.</summary>
    public async ValueTask CloseAsync(Http1Output output, bool linger, SslStream? tls)
    {
        try
        {
            // Responses are flushed already: anything left is what a take-over abandoned.
            await output.CompleteAsync();
            // TLS says goodbye first (close_notify), so the client can tell an end from a cut; a
            // client that stopped reading gets a moment for it, not more.
            if (tls is { IsAuthenticated: true } && !IsAborted) await tls.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(1));
            if (linger && socket.Connected) await LingeringClose.DrainAsync(socket, TimeSpan.FromSeconds(1), 1024 * 1024);
        }
        catch (Exception e) when (ConnectionLoss.Is(e) || e is TimeoutException)
        {
        }
        finally
        {
            await input.CompleteAsync();
            Abort();
            if (tls is not null) await tls.DisposeAsync();
            _aborted.Dispose();
        }
    }
}
