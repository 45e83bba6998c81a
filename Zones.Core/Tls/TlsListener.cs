using System.ComponentModel;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Zones.Http;

namespace Zones.Tls;

/// <summary>
/// One https:// listener: the TLS handshake of each of its connections, bounded in time, with
/// the certificate chosen by SNI, the policy every listener shares, and — when asked — the client
/// certificate checked against its authorities. Also the fields its responses carry (HSTS).
/// </summary>
public sealed partial class TlsListener
{
    private readonly ServerCertificates _certificates;
    private readonly ClientCertificateMode _clientCertificates;
    private readonly RemoteCertificateValidationCallback? _validate;
    private readonly ServerOptionsSelectionCallback _select;
    private readonly CipherSuitesPolicy? _cipherSuites;

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

    /// <summary>
    /// Runs the server side of the handshake within <see cref="HandshakeTimeout"/>; true when it
    /// succeeded. A failure — a scanner, a client that offers only old protocols or only h2, one
    /// that stalls — is one debug line, never an error.
    /// </summary>
    public async Task<bool> HandshakeAsync(SslStream stream, ILogger logger, long connectionId, CancellationToken aborted)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(HandshakeTimeout);
        try
        {
            await stream.AuthenticateAsServerAsync(_select, null, timeout.Token);
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

    [LoggerMessage(32, LogLevel.Debug, "Connection {ConnectionId}: TLS handshake failed: {Reason}")]
    private static partial void LogHandshakeFailed(ILogger logger, long connectionId, string reason);
}
