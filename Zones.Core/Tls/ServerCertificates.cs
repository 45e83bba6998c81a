using Microsoft.Extensions.Logging;
using Zones.Acme;

namespace Zones.Tls;

/// <summary>
/// The certificates a server's TLS listeners serve, chosen per handshake by the name the client
/// asked for (SNI): an exact <c>Sni</c> entry, then a wildcard one, then the default
/// <c>Certificate</c>. The ACME domains (<c>Acme:Domains</c>) come before all of them, and their
/// certificate is also the default when there is no <c>Certificate</c>. Certificate files are checked every few seconds — by content, so a renewal by
/// certbot or a Kubernetes secret rotation (both swap symbolic links) is seen as any edit is: the
/// next handshakes use the new pair, open connections keep theirs, and a broken new file is
/// logged while the old pair stays in use.
/// </summary>
internal sealed partial class ServerCertificates : IDisposable
{
    private readonly Entry? _default;
    private readonly Entry[] _exact;
    private readonly Entry[] _wildcards;
    private readonly ILogger _logger;
    private readonly ITimer? _reload;
    private readonly AcmeEntry? _acme;

    /// <summary>
    /// Loads every certificate (throws <see cref="TlsConfigurationException"/> for the first that
    /// cannot serve) and starts watching their files. <paramref name="acme"/>: the ACME
    /// certificates when Server:Tls:Acme is set (the server starts and stops them).
    /// </summary>
    public ServerCertificates(TlsOptions options, ILogger logger, TimeProvider? time = null, AcmeCertificates? acme = null)
    {
        _logger = logger;
        if (AcmeOverlap(options) is { } overlap) throw new TlsConfigurationException(overlap);
        if (acme is not null) _acme = new AcmeEntry(acme);
        if (options.Certificate is { } certificate) _default = new Entry("Server:Tls:Certificate", certificate);
        var sni = options.Sni.Select(e => (e.Key, Entry: new Entry($"Server:Tls:Sni:{e.Key}", e.Value, e.Key))).ToList();
        foreach (var (key, _) in sni)
        {
            if (HostNamePattern.Problem(key) is { } problem) throw new TlsConfigurationException($"Server:Tls:Sni: \"{key}\" must be {problem}");
        }
        _exact = [.. sni.Where(e => !HostNamePattern.IsWildcard(e.Key)).Select(e => e.Entry)];
        _wildcards = [.. sni.Where(e => HostNamePattern.IsWildcard(e.Key)).Select(e => e.Entry)];
        time ??= TimeProvider.System;
        if (All().Any()) _reload = time.CreateTimer(_ => CheckForChanges(), null, options.ReloadCheckInterval, options.ReloadCheckInterval);
    }

    /// <summary>Builds every certificate's handshake context in the background (see <see cref="LoadedCertificate.Prepare"/>); a server calls it once it is serving.</summary>
    public void Prepare()
    {
        foreach (var entry in All()) entry.Current.Prepare();
        _acme?.Current.Prepare(); // the fallback until ACME has one; each later one is prepared as it comes
    }

    /// <summary>True when at least one certificate is configured.</summary>
    public bool HasAny => _default is not null || _exact.Length > 0 || _wildcards.Length > 0 || _acme is not null;

    /// <summary>The ACME certificates, whose tls-alpn-01 challenges the listeners answer; null without Server:Tls:Acme.</summary>
    public AcmeCertificates? Acme => _acme?.Source;

    /// <summary>
    /// A name both in Acme:Domains and in Sni would have two certificates: refused, naming both
    /// settings. (A wildcard Sni entry may cover an ACME name: the ACME certificate wins, as an
    /// exact name wins over a wildcard.)
    /// </summary>
    public static string? AcmeOverlap(TlsOptions options)
    {
        if (options.Acme is not { } acme) return null;
        var both = acme.Domains.FirstOrDefault(d => options.Sni.ContainsKey(d));
        return both is null ? null
            : $"Server:Tls:Acme:Domains and Server:Tls:Sni both name \"{both}\"; one name gets one certificate, so remove it from one of them";
    }

    /// <summary>The certificate for <paramref name="serverName"/> (null or unknown: the default), or null when none is configured for it.</summary>
    public LoadedCertificate? Select(string? serverName)
    {
        if (!string.IsNullOrEmpty(serverName))
        {
            if (_acme is not null && _acme.Source.Serves(serverName)) return _acme.Current;
            foreach (var entry in _exact) if (HostNamePattern.Matches(entry.Pattern!, serverName)) return entry.Current;
            foreach (var entry in _wildcards) if (HostNamePattern.Matches(entry.Pattern!, serverName)) return entry.Current;
        }
        return _default?.Current ?? _acme?.Current;
    }

    /// <summary>Compares every certificate's files with what was loaded, and loads those that changed.</summary>
    public void CheckForChanges()
    {
        foreach (var entry in All())
        {
            string hash;
            try { hash = CertificateLoader.ContentHash(entry.File); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; } // mid-swap: look again next time
            if (hash == entry.Current.ContentHash || hash == entry.RefusedHash) continue;
            try
            {
                var loaded = CertificateLoader.Load(entry.File, entry.Setting).Prepare();
                entry.Current = loaded;
                entry.RefusedHash = null;
                LogReloaded(_logger, entry.Setting, loaded.Leaf.Subject, loaded.Leaf.NotAfter.ToUniversalTime());
            }
            catch (Exception e)
            {
                // Whatever is wrong with the new files, the old pair keeps serving; said once per
                // broken version, not every few seconds. (Nothing may escape: this runs on a timer.)
                entry.RefusedHash = hash;
                LogReloadRefused(_logger, e is TlsConfigurationException ? e.Message : $"{entry.Setting}: {e.Message}");
            }
        }
    }

    private IEnumerable<Entry> All() => (_default is null ? _exact : _exact.Prepend(_default)).Concat(_wildcards);

    public void Dispose() => _reload?.Dispose();

    private sealed class Entry(string setting, CertificateFile file, string? pattern = null)
    {
        public string Setting { get; } = setting;
        public CertificateFile File { get; } = file;
        public string? Pattern { get; } = pattern;
        public volatile LoadedCertificate Current = CertificateLoader.Load(file, setting);
        public string? RefusedHash;
    }

    [LoggerMessage(30, LogLevel.Information, "Reloaded {Setting}: {Subject}, valid until {NotAfter:yyyy-MM-dd HH:mm} UTC")]
    private static partial void LogReloaded(ILogger logger, string setting, string subject, DateTime notAfter);

    [LoggerMessage(31, LogLevel.Error, "Kept the certificate in use; the changed one is refused: {Message}")]
    private static partial void LogReloadRefused(ILogger logger, string message);
}
