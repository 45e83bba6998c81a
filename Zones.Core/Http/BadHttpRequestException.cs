namespace Zones.Http;

/// <summary>
/// The client sent something the server will not process. Carries the status to answer with
/// (400, 408, 413, 414, 417, 431, 501, 505) and a short reason that is safe to show the client.
/// The connection is always closed afterwards: the framing can no longer be trusted.
/// </summary>
public sealed class BadHttpRequestException(int status, string reason) : Exception(reason)
{
    /// <summary>The status the server answers with before it closes the connection.</summary>
    public int Status { get; } = status;
    /// <summary>A short reason, safe to send to the client in the answer's body and to log.</summary>
    public string Reason { get; } = reason;

    internal static BadHttpRequestException Bad(string reason) => new(400, reason);
}
