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
    /// <summary>A whole message: <paramref name="data"/> as it is (UTF-8 for text), not copied.</summary>
    public WebSocketMessage(WebSocketMessageType type, ReadOnlyMemory<byte> data)
    {
        if (type is not (WebSocketMessageType.Text or WebSocketMessageType.Binary))
            throw new ArgumentOutOfRangeException(nameof(type), "A message is text or binary.");
        Type = type;
        Data = data;
    }

    /// <summary>Text or Binary.</summary>
    public WebSocketMessageType Type { get; }

    /// <summary>True for a text message (its data is UTF-8).</summary>
    public bool IsText => Type == WebSocketMessageType.Text;

    /// <summary>The payload; for a text message, valid UTF-8 (checked on arrival).</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The payload decoded as UTF-8 (a new string).</summary>
    public string Text => Encoding.UTF8.GetString(Data.Span);

    /// <summary>A copy of the payload that outlives the call.</summary>
    public byte[] ToArray() => Data.ToArray();

    /// <summary>A text message, <paramref name="text"/> encoded as UTF-8.</summary>
    public static WebSocketMessage FromText(string text) => new(WebSocketMessageType.Text, Encoding.UTF8.GetBytes(text));

    /// <summary>A binary message of <paramref name="data"/>, not copied: it must not change while the message may be queued.</summary>
    public static WebSocketMessage FromBinary(ReadOnlyMemory<byte> data) => new(WebSocketMessageType.Binary, data);

    /// <summary>"text, 12 bytes", for logs (never the content).</summary>
    public override string ToString() => IsText ? $"text, {Data.Length} bytes" : $"binary, {Data.Length} bytes";
}
