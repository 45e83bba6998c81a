using System.Text;

namespace Zones.Handlers.WebSockets;

/// <summary>
/// Which close codes may go on the wire (RFC 6455 §7.4): 1000–1003 and 1007–1014 from the
/// registry, 3000–4999 for libraries and applications. 1004 is reserved; 1005, 1006 and 1015
/// only describe a close locally and are never sent.
/// </summary>
public static class WebSocketCloseCodes
{
    /// <summary>1006: the connection ended without a close frame (reported to OnClosedAsync, never sent).</summary>
    public const int Abnormal = 1006;

    /// <summary>1013: the server cannot serve this now (a backend it needs is down); the client may try again later.</summary>
    public const int TryAgainLater = 1013;

    /// <summary>A close reason is at most 123 bytes: a control frame carries 125, two of them the code.</summary>
    public const int MaxReasonBytes = 123;

    /// <summary>True when <paramref name="code"/> may be sent in a close frame.</summary>
    public static bool IsSendable(int code) => code is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999);

    /// <summary>Checks a close before it is sent.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="code"/> may not be sent.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is longer than <see cref="MaxReasonBytes"/> bytes of UTF-8.</exception>
    public static void ThrowIfNotSendable(int code, string? reason)
    {
        if (!IsSendable(code))
            throw new ArgumentOutOfRangeException(nameof(code), code,
                "A close code sent must be 1000–1003, 1007–1014 or 3000–4999 (1004–1006 and 1015 are reserved, 1016–2999 unassigned).");
        if (reason is not null && Encoding.UTF8.GetByteCount(reason) > MaxReasonBytes)
            throw new ArgumentException($"A close reason is at most {MaxReasonBytes} bytes of UTF-8.", nameof(reason));
    }
}
