using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Zones.Acme;

/// <summary>
/// The certificate for the ACME domains, kept current in the background: at start the cached
/// one if it is still good (the CA is not asked), otherwise a self-signed fallback while one is
/// ordered; then a renewal once <see cref="AcmeOptions.RenewWhenRemaining"/> of its lifetime is
/// left. A failed attempt is one warning line and is retried after <see cref="AcmeOptions.RetryDelay"/>,
/// doubling up to <see cref="AcmeOptions.MaxRetryDelay"/>. A new certificate is used by the next
/// handshake; open connections keep theirs.
/// </summary>
internal sealed partial class AcmeCertificates : IAsyncDisposable
{
    // Task.Delay takes at most ~49 days; a 90-day certificate is renewed 60 days out, so long
    // waits are taken in pieces.
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    private readonly AcmeOptions _options;
    private readonly IReadOnlyList<string> _challengeTypes;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly HttpMessageHandler? _handler;
    private readonly AcmeCache _cache;
    private readonly Uri _directory;
    private readonly CancellationTokenSource _stopping = new();
    private HttpClient? _http;
    private AcmeIssuer? _issuer;
    private AccountKey? _accountKey;
    private Task? _loop;
    private volatile IssuedCertificate _current;
    private readonly string _domainList; // "example.com, www.example.com", as every log line names them

    /// <param name="options">Valid (see <see cref="AcmeOptions.Problems"/>), paths absolute.</param>
    /// <param name="challengeTypes">The challenge types the server's listeners can answer, in the order to try them.</param>
    /// <param name="logger">Where obtaining, renewing and failures are told ("Zones.Acme").</param>
    /// <param name="time">The clock renewals and retries are timed by.</param>
    /// <param name="handler">Replaces the network for tests; null uses a SocketsHttpHandler.</param>
    public AcmeCertificates(AcmeOptions options, IReadOnlyList<string> challengeTypes, ILogger logger, TimeProvider? time = null, HttpMessageHandler? handler = null)
    {
        _options = options;
        _challengeTypes = challengeTypes;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _handler = handler;
        _directory = new Uri(options.Directory!);
        _cache = new AcmeCache(options.CacheFolder, _directory);
        Domains = [.. options.Domains];
        _domainList = string.Join(", ", Domains);
        _current = FallbackCertificate.Create(Domains);
    }

    public IReadOnlyList<string> Domains { get; }

    /// <summary>The challenges in progress, which the listeners answer.</summary>
    public AcmeChallenges Challenges { get; } = new();

    /// <summary>True when TLS listeners must look for "acme-tls/1" clients.</summary>
    public bool AnswersTlsAlpn => _challengeTypes.Contains(AcmeOptions.TlsAlpn01);

    /// <summary>The certificate to serve now: the CA's, or the self-signed fallback until there is one.</summary>
    public IssuedCertificate Current => _current;

    /// <summary>
    /// Raised (on the renewal loop's thread) when <see cref="Current"/> becomes another
    /// certificate, cached or newly issued, so the TLS side can build its handshake context
    /// before the first handshake needs it.
    /// </summary>
    public event Action? CertificateChanged;

    /// <summary>The folder of this CA's files in CacheFolder.</summary>
    public string CacheFolder => _cache.Folder;

    /// <summary>True when <paramref name="serverName"/> is one of <see cref="Domains"/>.</summary>
    public bool Serves(string serverName)
    {
        foreach (var domain in Domains) if (string.Equals(domain, serverName, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    /// <summary>
    /// Takes the cached certificate if it is good (before the first handshake, so none sees the
    /// fallback needlessly), then starts the background work — once the listeners are up, so an
    /// http-01 challenge can be answered.
    /// </summary>
    public void Start()
    {
        if (_loop is not null) return;
        UseCached();
        if (_current.IsFallback) LogFallback(_logger, _domainList);
        _loop = Task.Run(() => RunAsync(_stopping.Token));
    }

    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        if (_loop is not null) await _loop;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _http?.Dispose();
        _accountKey?.Dispose();
        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        var retryDelay = _options.RetryDelay;
        var attempt = 0;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var due = _current.IsFallback ? _time.GetUtcNow() : _current.RenewAt(_options.RenewWhenRemaining);
                if (await WaitUntilAsync(due, stopping) is false) continue;
                await ObtainAsync(attempt++, stopping);
                retryDelay = _options.RetryDelay;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Nothing may escape: this runs unobserved. One line, the reason and the next try.
                LogFailed(_logger, _domainList, _directory, Reason(e), retryDelay);
                try { await Task.Delay(retryDelay, _time, stopping); }
                catch (OperationCanceledException) { break; }
                retryDelay = retryDelay * 2 > _options.MaxRetryDelay ? _options.MaxRetryDelay : retryDelay * 2;
            }
        }
    }

    /// <summary>Waits until <paramref name="due"/>, in pieces; false when it only waited a piece (look again).</summary>
    private async Task<bool> WaitUntilAsync(DateTimeOffset due, CancellationToken stopping)
    {
        var wait = due - _time.GetUtcNow();
        if (wait <= TimeSpan.Zero) return true;
        await Task.Delay(wait > LongestWait ? LongestWait : wait, _time, stopping);
        return wait <= LongestWait;
    }

    private void UseCached()
    {
        try
        {
            if (_cache.Certificate() is not { } cached) return;
            if (!cached.Covers(Domains))
                LogCachedNotCovering(_logger, _cache.CertificatePath, _domainList);
            else if (cached.NotAfter <= _time.GetUtcNow())
                LogCachedExpired(_logger, _cache.CertificatePath, cached.NotAfter);
            else
            {
                _current = cached;
                CertificateChanged?.Invoke();
                LogUsingCached(_logger, _domainList, _cache.CertificatePath, cached.NotAfter, cached.RenewAt(_options.RenewWhenRemaining));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            LogCachedUnreadable(_logger, _cache.CertificatePath, e.Message);
        }
    }

    private async Task ObtainAsync(int attempt, CancellationToken stopping)
    {
        if (_issuer is null)
        {
            _accountKey = _cache.AccountKey();
            _issuer = new AcmeIssuer(new AcmeClient(_http = CreateHttpClient(), _directory, _accountKey), Challenges, _time);
        }
        // After a failure the next attempt leads with the next challenge type: if one cannot
        // work here (port 80 blocked, a proxy in front of 443), the other still gets its turn.
        var types = _challengeTypes.Skip(attempt % _challengeTypes.Count).Concat(_challengeTypes.Take(attempt % _challengeTypes.Count)).ToList();
        LogOrdering(_logger, _domainList, _directory, string.Join(", ", types));
        var (chainPem, keyPem) = await _issuer.ObtainAsync(Domains, types, _options.Email, stopping);
        var issued = IssuedCertificate.FromPem(chainPem, keyPem);
        _cache.Store(chainPem, keyPem);
        _current = issued;
        CertificateChanged?.Invoke();
        LogObtained(_logger, _domainList, issued.NotAfter, issued.RenewAt(_options.RenewWhenRemaining), _cache.CertificatePath);
    }

    private HttpClient CreateHttpClient()
    {
        var handler = _handler ?? DirectoryHandler(_options.DirectoryCaCertificate);
        var http = new HttpClient(handler, disposeHandler: _handler is null)
        {
            Timeout = TimeSpan.FromSeconds(30),
            MaxResponseContentBufferSize = 1 << 20,
        };
        // RFC 8555 §6.1: a client sends a User-Agent.
        http.DefaultRequestHeaders.UserAgent.ParseAdd("Zones-ACME/1.0");
        return http;
    }

    private static SocketsHttpHandler DirectoryHandler(string? authorityPath)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = TimeSpan.FromSeconds(15) };
        if (authorityPath is null) return handler;
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(authorityPath);
        handler.SslOptions = new SslClientAuthenticationOptions
        {
            // Only the given authority vouches for the directory (a test CA's own HTTPS).
            RemoteCertificateValidationCallback = (_, certificate, presented, errors) =>
            {
                if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                if (presented is not null) foreach (var element in presented.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
                using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                return chain.Build(leaf);
            },
        };
        return handler;
    }

    private static string Reason(Exception e) => e switch
    {
        AcmeException => e.Message,
        HttpRequestException { InnerException: { } inner } when !e.Message.Contains(inner.Message, StringComparison.Ordinal) => $"{e.Message.TrimEnd('.')}: {inner.Message}",
        HttpRequestException => e.Message,
        TaskCanceledException => "the CA did not answer within 30 s",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    [LoggerMessage(40, LogLevel.Information, "ACME: serving a self-signed fallback certificate for {Domains} until the CA issues one")]
    private static partial void LogFallback(ILogger logger, string domains);

    [LoggerMessage(41, LogLevel.Information, "ACME: using the cached certificate for {Domains} ({Path}), valid until {NotAfter:yyyy-MM-dd HH:mm:ss} UTC, renewed from {RenewAt:yyyy-MM-dd HH:mm:ss} UTC")]
    private static partial void LogUsingCached(ILogger logger, string domains, string path, DateTimeOffset notAfter, DateTimeOffset renewAt);

    [LoggerMessage(42, LogLevel.Information, "ACME: ordering a certificate for {Domains} from {Directory} (challenges: {Challenges})")]
    private static partial void LogOrdering(ILogger logger, string domains, Uri directory, string challenges);

    [LoggerMessage(43, LogLevel.Information, "ACME: obtained a certificate for {Domains}, valid until {NotAfter:yyyy-MM-dd HH:mm:ss} UTC, renewed from {RenewAt:yyyy-MM-dd HH:mm:ss} UTC; stored in {Path}")]
    private static partial void LogObtained(ILogger logger, string domains, DateTimeOffset notAfter, DateTimeOffset renewAt, string path);

    [LoggerMessage(44, LogLevel.Warning, "ACME: could not obtain a certificate for {Domains} from {Directory}: {Reason}; next attempt in {RetryDelay}")]
    private static partial void LogFailed(ILogger logger, string domains, Uri directory, string reason, TimeSpan retryDelay);

    [LoggerMessage(45, LogLevel.Warning, "ACME: the cached certificate {Path} cannot be read ({Reason}); ordering a new one")]
    private static partial void LogCachedUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(46, LogLevel.Information, "ACME: the cached certificate {Path} does not name all of {Domains}; ordering a new one")]
    private static partial void LogCachedNotCovering(ILogger logger, string path, string domains);

    [LoggerMessage(47, LogLevel.Information, "ACME: the cached certificate {Path} expired on {NotAfter:yyyy-MM-dd HH:mm:ss} UTC; ordering a new one")]
    private static partial void LogCachedExpired(ILogger logger, string path, DateTimeOffset notAfter);
}
