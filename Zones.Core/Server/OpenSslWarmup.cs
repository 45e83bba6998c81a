using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;

namespace Zones.Server;

/// <summary>
/// OpenSSL's one-time set-up, begun on a thread of its own while the host is built. The first
/// certificate load otherwise pays it on the start's path: loading libssl and libcrypto, their
/// providers and algorithm tables — most of what an https listener added to a native start
/// (bench/startup.sh; by hand, http + https 16.6–16.7 → 15.2–16.4 ms). Only when a listener is
/// https: a plain-http server never loads OpenSSL.
/// </summary>
internal static class OpenSslWarmup
{
    /// <summary>Starts the warm-up when <paramref name="configuration"/> has an https listener.</summary>
    public static void StartIfWanted(IConfiguration configuration)
    {
        if (!IsWanted(configuration)) return;
        // A thread of its own, started at once: an earlier trial on the thread pool gained nothing.
        new Thread(Run) { IsBackground = true, Name = "Zones TLS warm-up" }.Start();
    }

    /// <summary>
    /// Whether a listener will be https: the URL list that wins ("urls", as --urls gives it, else
    /// Server:Urls) or a Server:Endpoints entry.
    /// </summary>
    public static bool IsWanted(IConfiguration configuration)
    {
        var urls = ServerOptions.UrlList(configuration["urls"])
            ?? configuration.GetSection("Server:Urls").GetChildren().Select(c => c.Value);
        var endpoints = configuration.GetSection("Server:Endpoints").GetChildren().Select(e => e["Url"]);
        return urls.Concat(endpoints).Any(IsHttps);
    }

    private static bool IsHttps(string? url) => url is not null && url.TrimStart().StartsWith("https:", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Makes a throwaway self-signed certificate in memory: a key generated, a certificate signed
    /// and decoded, which sets up what the real load needs. Any failure is left to that load,
    /// which reports it with the setting it concerns.
    /// </summary>
    internal static void Run()
    {
        try
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=zones-warm-up", key, HashAlgorithmName.SHA256);
            var now = DateTimeOffset.UtcNow;
            using var certificate = request.CreateSelfSigned(now, now.AddMinutes(1));
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException or DllNotFoundException or TypeInitializationException)
        {
            // No usable OpenSSL here: the server's own load says so, naming the certificate.
        }
    }
}
