using Zones.Http;

namespace Zones;

/// <summary>
/// What the handler API asks of the connection a request arrived on — the one channel from
/// <see cref="ZoneContext"/> and <see cref="TakeOverContext"/> back to the server's connection,
/// which implements it.
/// </summary>
internal interface IZoneConnection
{
    /// <summary>Until the zones or the take-over are done, notice the client hanging up (see <see cref="ZoneContext.WatchForDisconnect"/>).</summary>
    void WatchForDisconnect();

    /// <summary>Writes and flushes a take-over's response head.</summary>
    ValueTask WriteTakeOverHeadAsync(int status, HttpHeaders headers, ZoneState state, CancellationToken cancellationToken);

    /// <summary>Bytes a take-over can read without waiting, as of its last read.</summary>
    int Buffered { get; }

    /// <summary>Copies bytes a take-over can read now, without consuming them.</summary>
    int Peek(Span<byte> destination);

    /// <summary>Cuts the connection now.</summary>
    void Abort();
}
