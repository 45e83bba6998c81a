using Zones.Http;

namespace Zones.Handlers.WebSockets;

/// <summary>The options of a <c>websocket</c> zone, bound from its entry in zones.json.</summary>
public sealed class WebSocketZoneOptions : IZoneOptionsValidation
{
    /// <summary>The registered endpoint that receives this zone's connections, e.g. "echo".</summary>
    public string Endpoint { get; set; } = "";

    /// <summary>Subprotocols this zone speaks; the first one the client lists that is here is selected.</summary>
    public List<string> SubProtocols { get; set; } = [];

    /// <summary>Origins allowed to connect ("https://example.com"; "*" for any). Empty: any origin.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>How long the connection may be quiet before the server pings; zero sends no pings.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a ping may wait for its pong before the peer is taken for dead; zero never gives up.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest message accepted, after reassembly and decompression; a larger one is closed with 1009.</summary>
    public int MaxMessageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Offer permessage-deflate (RFC 7692) to clients that ask for it.</summary>
    public bool Compression { get; set; }

    /// <summary>A request in the zone that is not a WebSocket upgrade: "426" (Upgrade Required, the default) or "Pass" to the next zone.</summary>
    public string NonUpgrade { get; set; } = "426";

    /// <summary>Messages that may wait to be sent to one connection; a client that lets more pile up is closed with 1008.</summary>
    public int SendQueueLimit { get; set; } = 128;

    /// <summary>How long a closing handshake (and the messages queued before it) may take before the connection is cut.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    internal const int MaxMessageBytesLimit = 1 << 30;

    internal bool PassNonUpgrade => NonUpgrade.Equals("Pass", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public IEnumerable<string> Validate(ZoneInfo zone)
    {
        if (string.IsNullOrWhiteSpace(Endpoint))
            yield return "websocket needs an \"Endpoint\", the name of a registered endpoint, e.g. \"Endpoint\": \"echo\"";
        foreach (var protocol in SubProtocols)
        {
            if (!HttpCharacters.IsToken(protocol))
                yield return $"\"SubProtocols\" entry \"{protocol}\" is not a token (letters, digits and !#$%&'*+-.^_`|~)";
        }
        foreach (var origin in AllowedOrigins)
        {
            if (string.IsNullOrWhiteSpace(origin))
                yield return "\"AllowedOrigins\" has an empty entry; write origins as \"https://example.com\", or \"*\" for any";
        }
        if (KeepAliveInterval < TimeSpan.Zero) yield return "\"KeepAliveInterval\" must not be negative, e.g. \"00:00:30\" (zero: no pings)";
        if (KeepAliveTimeout < TimeSpan.Zero) yield return "\"KeepAliveTimeout\" must not be negative, e.g. \"00:00:30\" (zero: never time out)";
        if (MaxMessageBytes is < 1 or > MaxMessageBytesLimit)
            yield return $"\"MaxMessageBytes\" {MaxMessageBytes} must be between 1 and {MaxMessageBytesLimit} (1 GiB), e.g. 1048576";
        if (NonUpgrade != "426" && !PassNonUpgrade) yield return $"\"NonUpgrade\" \"{NonUpgrade}\" is not known; use \"426\" (Upgrade Required) or \"Pass\"";
        if (SendQueueLimit < 1) yield return $"\"SendQueueLimit\" {SendQueueLimit} must be at least 1, e.g. 128";
        if (CloseTimeout <= TimeSpan.Zero) yield return "\"CloseTimeout\" must be positive, e.g. \"00:00:05\"";
    }
}
