using System.ComponentModel;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Zones.Acme;
using Zones.Http;

namespace Zones.Tls;

/// <summary>
/// One https:// listener: the TLS handshake of each of its connections, bounded in time, with
/// the certificate chosen by SNI, the policy every listener shares, and — when asked — the client
/// certificate checked against its authorities. Also the fields its responses carry (HSTS).
/// With ACME's tls-alpn-01 on, a client offering ALPN "acme-tls/1" (a CA's validator) gets the
/// challenge certificate instead, and the connection ends with the handshake (RFC 8737 §3).
/// </summary>
internal sealed partial class TlsListener
{
    private readonly ServerCertificates _certificates;
    private readonly ClientCertificateMode _clientCertificates;
    private readonly RemoteCertificateValidationCallback? _validate;
    private readonly ServerOptionsSelectionCallback _select;
    private readonly CipherSuitesPolicy? _cipherSuites;
    private static readonly List<SslApplicationProtocol> AcmeTls = [new(TlsAlpnCertificate.Protocol)];

    public TlsListener(ServerCertificates certificates, ClientCertificateMode clientCertificates, X509Certificate2Collection? authorities, TimeSpan handshakeTimeout, ResponseFields fields, TlsCipherSuites cipherSuites = TlsCipherSuites.Aead)
    {
        _certificates = certificates;
        _clientCertificates = clientCertificates;
        if (clientCertificates != ClientCertificateMode.None)
            _validate = new ClientCertificateValidator(authorities ?? throw new ArgumentNullException(nameof(authorities)), clientCertificates).Validate;
        HandshakeTimeout = handshakeTimeout;
        _cipherSuites = TlsPolicy.For(cipherSuites);
        Fields = fields;
        _select = SelectAsync;
    }

    public TimeSpan HandshakeTimeout { get; }

    /// <summary>The fields every response on this listener carries (Server, Strict-Transport-Security).</summary>
    public ResponseFields Fields { get; }

    /// <summary>What SslStream reads from: the connection itself, or — when tls-alpn-01 challenges are answered — a stream that reads the ClientHello ahead.</summary>
    public Stream Transport(Stream connection) => _certificates.Acme is { AnswersTlsAlpn: true } ? new ClientHelloStream(connection) : connection;

    /// <summary>
    /// Runs the server side of the handshake within <see cref="HandshakeTimeout"/>; true when it
    /// succeeded and HTTP follows. A failure — a scanner, a client that offers only old protocols
    /// or only h2, one that stalls — is one debug line, never an error; an answered tls-alpn-01
    /// challenge is false too (nothing follows it). <paramref name="transport"/> is what
    /// <see cref="Transport"/> gave, under <paramref name="stream"/>.
    /// </summary>
    public async Task<bool> HandshakeAsync(SslStream stream, Stream transport, ILogger logger, long connectionId, CancellationToken aborted)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(HandshakeTimeout);
        try
        {
            var hello = transport is ClientHelloStream peek ? await peek.ReadHelloAsync(timeout.Token) : null;
            await stream.AuthenticateAsServerAsync(_select, hello, timeout.Token);
            if (stream.NegotiatedApplicationProtocol == AcmeTls[0])
            {
                LogChallengeAnswered(logger, connectionId, stream.TargetHostName);
                return false;
            }
            return true;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException or Win32Exception or OperationCanceledException or ObjectDisposedException)
        {
            var reason = e is OperationCanceledException && !aborted.IsCancellationRequested
                ? $"the handshake took longer than {HandshakeTimeout.TotalSeconds:0.###} s"
                : (e.InnerException?.Message ?? e.Message);
            LogHandshakeFailed(logger, connectionId, reason);
            return false;
        }
    }

    private ValueTask<SslServerAuthenticationOptions> SelectAsync(SslStream stream, SslClientHelloInfo hello, object? state, CancellationToken cancellationToken)
    {
        if (state is ClientHello peeked && peeked.Offers(TlsAlpnCertificate.Protocol)) return ValueTask.FromResult(ChallengeOptions(hello.ServerName));
        var certificate = _certificates.Select(hello.ServerName)
            ?? throw new AuthenticationException($"no certificate is configured for \"{hello.ServerName}\"");
        return ValueTask.FromResult(new SslServerAuthenticationOptions
        {
            ServerCertificateContext = certificate.Context,
            EnabledSslProtocols = TlsPolicy.Protocols,
            CipherSuitesPolicy = _cipherSuites,
            ApplicationProtocols = TlsPolicy.Http11,
            AllowRenegotiation = false,
            ClientCertificateRequired = _clientCertificates != ClientCertificateMode.None,
            RemoteCertificateValidationCallback = _validate,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        });
    }

    /// <summary>A validator's handshake: the challenge certificate for the name, and ALPN "acme-tls/1" alone.</summary>
    private SslServerAuthenticationOptions ChallengeOptions(string? serverName)
    {
        var certificate = _certificates.Acme?.Challenges.TlsAlpn01(serverName)
            ?? throw new AuthenticationException($"an acme-tls/1 client asked for \"{serverName}\", which has no tls-alpn-01 challenge pending");
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(certificate, null, offline: true),
            EnabledSslProtocols = TlsPolicy.Protocols,
            CipherSuitesPolicy = _cipherSuites,
            ApplicationProtocols = AcmeTls,
            AllowRenegotiation = false,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
    }

    [LoggerMessage(33, LogLevel.Debug, "Connection {ConnectionId}: answered the tls-alpn-01 challenge for {ServerName}")]
    private static partial void LogChallengeAnswered(ILogger logger, long connectionId, string serverName);

    [LoggerMessage(32, LogLevel.Debug, "Connection {ConnectionId}: TLS handshake failed: {Reason}")]
    private static partial void LogHandshakeFailed(ILogger logger, long connectionId, string reason);
}
