using System.Net.WebSockets;
using System.Text;

namespace Zones.Handlers.WebSockets;

/// <summary>
/// One whole message as received: text or binary, reassembled from its fragments (and
/// decompressed). Its bytes live in a pooled buffer that is reused once
/// <see cref="WebSocketEndpoint.OnMessageAsync"/> returns: copy them (<see cref="ToArray"/>,
/// <see cref="Text"/>) to keep them longer.
/// </summary>
public readonly struct WebSocketMessage
{
    public WebSocketMessage(WebSocketMessageType type, ReadOnlyMemory<byte> data)
    {
        if (type is not (WebSocketMessageType.Text or WebSocketMessageType.Binary))
            throw new ArgumentOutOfRangeException(nameof(type), "A message is text or binary.");
        Type = type;
        Data = data;
    }

    public WebSocketMessageType Type { get; }

    public bool IsText => Type == WebSocketMessageType.Text;

    /// <summary>The payload; for a text message, valid UTF-8 (checked on arrival).</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The payload decoded as UTF-8 (a new string).</summary>
    public string Text => Encoding.UTF8.GetString(Data.Span);

    /// <summary>A copy of the payload that outlives the call.</summary>
    public byte[] ToArray() => Data.ToArray();

    public static WebSocketMessage FromText(string text) => new(WebSocketMessageType.Text, Encoding.UTF8.GetBytes(text));

    public static WebSocketMessage FromBinary(ReadOnlyMemory<byte> data) => new(WebSocketMessageType.Binary, data);

    public override string ToString() => IsText ? $"text, {Data.Length} bytes" : $"binary, {Data.Length} bytes";
}
