using System.Buffers;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace Zones.Handlers.WebSockets;

/// <summary>
/// One WebSocket from the 101 to the end: frames are System.Net.WebSockets' business (RFC 6455
/// framing, masking, ping/pong, UTF-8 checks, close codes, deflate); this reassembles whole
/// messages into a pooled buffer under the size limit, hands them to the endpoint in order, runs
/// the closing handshake, and reports how the connection ended.
/// </summary>
internal sealed class WebSocketSession(
    string endpointName, WebSocketEndpoint endpoint, WebSocketHub hub, WebSocketZoneOptions options, AcceptedHandshake handshake, ILogger logger)
{
    // One async method from the 101 to the end: an idle WebSocket holds a single state machine of
    // its own (plus the runtime's receive chain), not one per stage.
    public async Task<TakeOverEnd> RunAsync(TakeOverContext takeOver)
    {
        await takeOver.WriteResponseHeadAsync(101, handshake.ResponseHeaders, takeOver.ConnectionAborted);
        var transport = new WebSocketTransport(takeOver.Stream, takeOver);
        using var socket = WebSocket.CreateFromStream(transport, new WebSocketCreationOptions
        {
            IsServer = true,
            SubProtocol = handshake.SubProtocol,
            // The keep-alive is ours (KeepAlive, on the hub's one timer): the runtime's would be a timer per connection.
            KeepAliveInterval = TimeSpan.Zero,
            KeepAliveTimeout = Timeout.InfiniteTimeSpan,
            DangerousDeflateOptions = handshake.Deflate,
        });
        var connection = new WebSocketConnection(endpointName, socket, handshake.Deflate is not null, options, takeOver);
        if (options.KeepAliveInterval > TimeSpan.Zero)
            connection.KeepAlive = new KeepAlive(transport, socket, options.KeepAliveInterval, options.KeepAliveTimeout);
        WebSocketLog.Opened(logger, connection.Id, endpointName, takeOver.Request.RemoteEndPoint?.ToString() ?? "-", handshake.SubProtocol ?? "-", connection.IsCompressed);

        (WebSocketCloseStatus Status, string? Description) end;
        // The hub closes its connections with 1001 when the server stops (one registration for all of them).
        hub.Add(connection, takeOver.ServerStopping);
        var buffer = new MessageBuffer(options.MaxMessageBytes);
        try
        {
            try
            {
                try
                {
                    await endpoint.OnConnectedAsync(connection);
                }
                catch (Exception e) when (!connection.CloseStarted)
                {
                    WebSocketLog.EndpointFailed(logger, connection.Id, endpointName, nameof(WebSocketEndpoint.OnConnectedAsync), e);
                    _ = connection.BeginClose(WebSocketCloseStatus.InternalServerError, "The endpoint failed.", dropWaiting: true);
                }
                var cancellation = connection.Lifetime;
                var waitedForFrame = false;  // between messages the first read is zero-byte: an idle connection holds no buffer
                var discarding = false;      // the rest of a message that is not delivered (too big, or we are closing)
                var text = false;
                while (true)
                {
                    if (!waitedForFrame)
                    {
                        // Between messages: wait for the next frame with a zero-byte read of the
                        // connection — no buffer, and none of the WebSocket's receive machinery,
                        // while nothing comes (inline: an idle connection holds this one state
                        // machine) — answering a client's pings and taking its pongs on the way,
                        // until a frame the WebSocket must read is next. A failure here is left
                        // for the WebSocket's own read to meet and report in its terms.
                        try
                        {
                            while (socket.State == WebSocketState.Open)
                            {
                                await transport.WaitForInputAsync(cancellation);
                                var frame = transport.TakeControlFrame(out var length);
                                if (frame is null) break;
                                try
                                {
                                    var payload = ControlFrame.Payload(frame.AsSpan(0, length)).Length;
                                    if ((frame[0] & 0x0F) == ControlFrame.PingOpcode)
                                        await transport.SendControlAsync(ControlFrame.PongOpcode, frame.AsMemory(length - payload, payload), cancellation);
                                }
                                finally
                                {
                                    ArrayPool<byte>.Shared.Return(frame);
                                }
                            }
                        }
                        catch (Exception e) when (e is not OutOfMemoryException)
                        {
                        }
                    }
                    var result = waitedForFrame
                        ? await socket.ReceiveAsync(NextRead(buffer, text && !connection.IsCompressed, takeOver), cancellation)
                        : await socket.ReceiveAsync(Memory<byte>.Empty, cancellation);
                    waitedForFrame = true;
                    text = result.MessageType == WebSocketMessageType.Text;

                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        end = await OnPeerCloseAsync(connection);
                        break;
                    }

                    buffer.Advance(result.Count);
                    if (buffer.TooBig && !discarding)
                    {
                        discarding = true;
                        _ = connection.BeginClose(WebSocketCloseStatus.MessageTooBig, $"A message may be at most {options.MaxMessageBytes} bytes.", dropWaiting: false);
                    }
                    if (discarding) buffer.Release();
                    if (!result.EndOfMessage) continue;

                    if (!discarding && !connection.CloseStarted)
                        await DeliverAsync(connection, new WebSocketMessage(result.MessageType, buffer.Data));
                    buffer.Release();
                    discarding = false;
                    waitedForFrame = false;
                }
            }
            catch (Exception e)
            {
                // Endpoint failures are caught where the endpoint is called; what arrives here is the
                // connection ending: a protocol error, a dropped peer, a cut, a timeout.
                WebSocketLog.Ended(logger, connection.Id, e);
                end = HowItEnded(connection, transport, e);
            }
            // The WebSocket gave up on its own (a dead peer) without a close frame: nothing polite is left to do.
            if (socket.State == WebSocketState.Aborted && transport.SentClose is null) takeOver.Abort();
        }
        finally
        {
            buffer.Release();
            hub.Remove(connection);
            connection.Terminate();
        }
        WebSocketLog.Closed(logger, connection.Id, (int)end.Status, end.Description ?? "");
        try
        {
            await endpoint.OnClosedAsync(connection, end.Status, end.Description);
        }
        catch (Exception e)
        {
            WebSocketLog.EndpointFailed(logger, connection.Id, endpointName, nameof(WebSocketEndpoint.OnClosedAsync), e);
        }
        return TakeOverEnd.Close;
    }

    /// <summary>
    /// Where the next chunk goes. Binary takes all the room there is. Uncompressed text asks for
    /// no more than has arrived (at least one byte), because the WebSocket checks UTF-8 only once
    /// a read is complete: a frame whose invalid bytes are in but whose end is not yet is refused
    /// at once. (Compressed text goes through the inflater's own buffer, so there it cannot help.)
    /// </summary>
    private static Memory<byte> NextRead(MessageBuffer buffer, bool checkAsItArrives, TakeOverContext takeOver)
    {
        var space = buffer.FreeSpace();
        return checkAsItArrives ? space[..Math.Clamp(takeOver.Buffered, 1, space.Length)] : space;
    }

    private async ValueTask DeliverAsync(WebSocketConnection connection, WebSocketMessage message)
    {
        try
        {
            await endpoint.OnMessageAsync(connection, message);
        }
        catch (Exception e) when (connection.CloseStarted || connection.Socket.State != WebSocketState.Open)
        {
            // A send that lost the race with a close: nothing is wrong with the endpoint.
            WebSocketLog.SendAfterClose(logger, connection.Id, e.Message);
        }
        catch (Exception e)
        {
            WebSocketLog.EndpointFailed(logger, connection.Id, endpointName, nameof(WebSocketEndpoint.OnMessageAsync), e);
            _ = connection.BeginClose(WebSocketCloseStatus.InternalServerError, "The endpoint failed.", dropWaiting: true);
        }
    }

    /// <summary>The peer sent its close frame: answer with the same code, or finish the close this side began.</summary>
    private static async Task<(WebSocketCloseStatus, string?)> OnPeerCloseAsync(WebSocketConnection connection)
    {
        var socket = connection.Socket;
        var received = socket.CloseStatus ?? WebSocketCloseStatus.Empty;
        var ours = connection.CloseSent;
        await (ours ?? connection.EchoClose(received));
        if (ours is not null && connection.LocalClose is { } local) return local;
        return (received, socket.CloseStatusDescription);
    }

    /// <summary>How a connection that did not finish with a clean close handshake ended.</summary>
    private (WebSocketCloseStatus, string?) HowItEnded(WebSocketConnection connection, WebSocketTransport transport, Exception e)
    {
        if (connection.LocalClose is { } local) return local;
        if (transport.SentClose is { } sent)
        {
            // System.Net.WebSockets failed the connection (a protocol error, bad UTF-8, a bad close
            // code) and told the client so; its exception says why in words.
            var why = e.InnerException is { } inner && e.Message.StartsWith("An exception caused", StringComparison.Ordinal) ? inner.Message : e.Message;
            return ((WebSocketCloseStatus)sent.Code, sent.Reason.Length > 0 ? sent.Reason : why);
        }
        if (connection.KeepAlive is { TimedOut: true })
        {
            // The keep-alive aborted the WebSocket: a ping went unanswered.
            return ((WebSocketCloseStatus)WebSocketCloseCodes.Abnormal,
                $"No pong arrived within the keep-alive timeout ({options.KeepAliveTimeout.TotalSeconds:0.###} s): the peer is taken for dead.");
        }
        return ((WebSocketCloseStatus)WebSocketCloseCodes.Abnormal, e.Message);
    }
}
