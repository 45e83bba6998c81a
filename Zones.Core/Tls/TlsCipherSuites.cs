namespace Zones.Tls;

/// <summary>Which cipher suites TLS listeners offer.</summary>
public enum TlsCipherSuites
{
    /// <summary>AEAD suites only (TLS 1.3's, and ECDHE with AES-GCM or ChaCha20-Poly1305 for 1.2): a scanner finds no CBC suite. The default.</summary>
    Aead,
    /// <summary>The platform's default list (OpenSSL's on Linux, which includes CBC suites for TLS 1.2), with .NET's cached TLS context: faster full handshakes, and session resumption.</summary>
    System,
}
