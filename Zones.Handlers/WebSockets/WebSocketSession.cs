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
    public async Task RunAsync(TakeOverContext takeOver)
    {
        await takeOver.WriteResponseHeadAsync(101, handshake.ResponseHeaders, takeOver.ConnectionAborted);
        using var socket = WebSocket.CreateFromStream(new HeaderPacingStream(takeOver.Stream), new WebSocketCreationOptions
        {
            IsServer = true,
            SubProtocol = handshake.SubProtocol,
            KeepAliveInterval = options.KeepAliveInterval,
            KeepAliveTimeout = options.KeepAliveTimeout > TimeSpan.Zero && options.KeepAliveInterval > TimeSpan.Zero
                ? options.KeepAliveTimeout
                : Timeout.InfiniteTimeSpan,
            DangerousDeflateOptions = handshake.Deflate,
        });
        var connection = new WebSocketConnection(endpointName, takeOver.Request, socket, handshake.Deflate is not null, options, takeOver.ConnectionAborted);
        WebSocketLog.Opened(logger, connection.Id, endpointName, takeOver.Request.RemoteEndPoint?.ToString() ?? "-", handshake.SubProtocol ?? "-", connection.IsCompressed);

        (WebSocketCloseStatus Status, string? Description) end;
        hub.Add(connection);
        try
        {
            using (takeOver.ServerStopping.Register(static c => ((WebSocketConnection)c!).BeginClose(
                WebSocketCloseStatus.EndpointUnavailable, "The server is shutting down.", dropWaiting: false), connection))
            {
                end = await ServeAsync(connection, takeOver);
            }
        }
        finally
        {
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
    }

    private async Task<(WebSocketCloseStatus, string?)> ServeAsync(WebSocketConnection connection, TakeOverContext takeOver)
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
            return await ReceiveAsync(connection, takeOver);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            return HowItEnded(connection, e);
        }
    }

    private async Task<(WebSocketCloseStatus, string?)> ReceiveAsync(WebSocketConnection connection, TakeOverContext takeOver)
    {
        var socket = connection.Socket;
        var cancellation = connection.Lifetime;
        var buffer = new MessageBuffer(options.MaxMessageBytes);
        var waitedForFrame = false;  // between messages the first read is zero-byte: an idle connection holds no buffer
        var discarding = false;      // the rest of a message that is not delivered (too big, or we are closing)
        var text = false;
        try
        {
            while (true)
            {
                var result = waitedForFrame
                    ? await socket.ReceiveAsync(NextRead(buffer, text, takeOver), cancellation)
                    : await socket.ReceiveAsync(Memory<byte>.Empty, cancellation);
                waitedForFrame = true;
                text = result.MessageType == WebSocketMessageType.Text;

                if (result.MessageType == WebSocketMessageType.Close)
                    return await OnPeerCloseAsync(connection);

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
        finally
        {
            buffer.Release();
        }
    }

    /// <summary>
    /// Where the next chunk goes. Binary takes all the room there is. Text asks for no more than
    /// has arrived (at least one byte), because the WebSocket checks UTF-8 only once a read is
    /// complete: a frame whose invalid bytes are in but whose end is not yet is refused at once.
    /// </summary>
    private static Memory<byte> NextRead(MessageBuffer buffer, bool text, TakeOverContext takeOver)
    {
        var space = buffer.FreeSpace();
        return text ? space[..Math.Clamp(takeOver.Buffered, 1, space.Length)] : space;
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
    private static (WebSocketCloseStatus, string?) HowItEnded(WebSocketConnection connection, Exception e)
    {
        if (connection.LocalClose is { } local) return local;
        if (e is WebSocketException { WebSocketErrorCode: WebSocketError.Faulted or WebSocketError.HeaderError or WebSocketError.InvalidMessageType }
            && !IsKeepAliveTimeout(e) && e.InnerException is null or WebSocketException)
        {
            // System.Net.WebSockets found a protocol violation and has already sent its close frame.
            var utf8 = e.Message.Contains("UTF-8", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("UTF8", StringComparison.OrdinalIgnoreCase);
            return (utf8 ? WebSocketCloseStatus.InvalidPayloadData : WebSocketCloseStatus.ProtocolError, e.Message);
        }
        return ((WebSocketCloseStatus)WebSocketCloseCodes.Abnormal, e.Message);
    }

    private static bool IsKeepAliveTimeout(Exception e) =>
        e.Message.Contains("KeepAliveTimeout", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("Pong", StringComparison.OrdinalIgnoreCase);
}
