using System.Net.Security;
using System.Security.Authentication;

namespace Zones.Tls;

/// <summary>
/// What every TLS listener offers: TLS 1.2 and 1.3 only; AEAD cipher suites only (the TLS 1.3
/// suites, and for 1.2 ECDHE with AES-GCM or ChaCha20-Poly1305 — no CBC, which scanners flag as
/// LUCKY13-prone); no renegotiation; ALPN "http/1.1", so a client that offers only h2 fails the
/// handshake at once instead of speaking a protocol the server does not.
/// The suites come at a price in .NET: a server that names its own suites gets no cached
/// SSL_CTX (so no session resumption, and each full handshake builds its context afresh);
/// <see cref="TlsCipherSuites.System"/> trades the AEAD-only list for that speed.
/// </summary>
internal static class TlsPolicy
{
    public const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    public static readonly List<SslApplicationProtocol> Http11 = [SslApplicationProtocol.Http11];

    /// <summary>The policy for <paramref name="choice"/>: null means the platform's own list.</summary>
    public static CipherSuitesPolicy? For(TlsCipherSuites choice) => choice == TlsCipherSuites.Aead ? Aead : null;

    /// <summary>Null where the platform does not let a server choose (there the system's policy applies).</summary>
    private static readonly CipherSuitesPolicy? Aead = OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()
        ? new CipherSuitesPolicy(
        [
            TlsCipherSuite.TLS_AES_128_GCM_SHA256,
            TlsCipherSuite.TLS_AES_256_GCM_SHA384,
            TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        ])
        : null;
}
