namespace Zones.Http;

/// <summary>The protocol versions the server speaks; anything else is answered 505.</summary>
public enum HttpVersion
{
    /// <summary>HTTP/1.0: the connection closes after the response unless the client asked for keep-alive.</summary>
    Http10,
    /// <summary>HTTP/1.1: persistent connections, chunked bodies, Host required.</summary>
    Http11,
}
