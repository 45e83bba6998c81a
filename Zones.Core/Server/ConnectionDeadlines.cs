using System.Net.Sockets;

namespace Zones.Server;

/// <summary>
/// A connection's clocks, checked by the server's heartbeat about once a second from another
/// thread, so no request arms a timer. Reads have a deadline (the request head, the keep-alive
/// wait, each wait for body bytes). Writes are judged by progress, as the minimum response data
/// rate asks: once a write has waited longer than the grace period, the client must have taken
/// at least MinResponseDataRate bytes per second of the time since — measured by what its TCP
/// acknowledged (so a 4 MiB sendfile slice is judged as it goes, not when it ends), or where the
/// kernel cannot tell, by the writes that completed.
/// </summary>
internal sealed class ConnectionDeadlines(ServerLimits limits, Socket socket)
{
    private long _readDeadline;          // Environment.TickCount64 ms; 0 = none
    private volatile bool _readTimedOut;
    private int _writesWaiting;          // flushes and sendfile slices in progress
    private long _writeSerial;           // counts the writes that started
    private long _bytesCompleted;        // bytes of finished writes: the progress where TCP_INFO is missing

    // Heartbeat-only: the write being watched, since when, and the progress then.
    private long _watchedSerial = -1;
    private long _watchedSince;
    private long _watchedProgress;

    public void ArmRead(TimeSpan allowed)
    {
        _readTimedOut = false;
        Volatile.Write(ref _readDeadline, Environment.TickCount64 + (long)allowed.TotalMilliseconds);
    }

    /// <summary>Stops the read deadline; true when it had fired.</summary>
    public bool DisarmRead()
    {
        Volatile.Write(ref _readDeadline, 0);
        return _readTimedOut;
    }

    public bool ReadTimedOut => _readTimedOut;

    /// <summary>A write to the socket begins waiting (a flush, a sendfile slice).</summary>
    public void WriteStarted()
    {
        Interlocked.Increment(ref _writeSerial);
        Interlocked.Increment(ref _writesWaiting);
    }

    /// <summary>The write started last has ended, having sent <paramref name="bytes"/>.</summary>
    public void WriteEnded(long bytes)
    {
        Interlocked.Add(ref _bytesCompleted, bytes);
        Interlocked.Decrement(ref _writesWaiting);
    }

    /// <summary>What the heartbeat found: a read past its deadline, a write below the minimum rate, or nothing.</summary>
    public HeartbeatVerdict OnHeartbeat(long now)
    {
        var verdict = HeartbeatVerdict.None;
        var readDeadline = Volatile.Read(ref _readDeadline);
        if (readDeadline != 0 && now >= readDeadline)
        {
            _readTimedOut = true;
            Volatile.Write(ref _readDeadline, 0);
            verdict = HeartbeatVerdict.ReadTimedOut;
        }
        return WriteStalled(now) ? HeartbeatVerdict.WriteStalled : verdict;
    }

    private bool WriteStalled(long now)
    {
        if (limits.MinResponseDataRate <= 0 || Volatile.Read(ref _writesWaiting) == 0)
        {
            _watchedSerial = -1;
            return false;
        }
        var serial = Volatile.Read(ref _writeSerial);
        var progress = TcpProgress.BytesAcked(socket) ?? Volatile.Read(ref _bytesCompleted);
        if (serial != _watchedSerial)
        {
            // A write we have not seen waiting before: start watching it from here.
            _watchedSerial = serial;
            _watchedSince = now;
            _watchedProgress = progress;
            return false;
        }
        var judged = now - _watchedSince - (long)limits.MinResponseDataRateGracePeriod.TotalMilliseconds;
        return judged > 0 && progress - _watchedProgress < limits.MinResponseDataRate * judged / 1000;
    }
}

internal enum HeartbeatVerdict
{
    None,
    ReadTimedOut,
    WriteStalled,
}
