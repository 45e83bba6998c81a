using Microsoft.Extensions.Options;
using Zones.Server;
using Zones.Tls;
using Microsoft.Extensions.Logging.Abstractions;

namespace Zones.Hosting;

/// <summary>Checks the "Server" section at start, with messages that name the file and the key.</summary>
internal sealed class ServerOptionsValidator(ZoneFile zoneFile) : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        var problems = new List<string>();
        for (var i = 0; i < options.Urls.Count; i++)
        {
            try { ListenAddress.Parse(options.Urls[i]); }
            catch (FormatException e) { problems.Add($"Server:Urls[{i}]: {e.Message}"); }
        }
        for (var i = 0; i < options.Endpoints.Count; i++)
        {
            try { ListenAddress.Parse(options.Endpoints[i].Url ?? throw new FormatException("\"Url\" is missing; e.g. \"Url\": \"https://0.0.0.0:8443\"")); }
            catch (FormatException e) { problems.Add($"Server:Endpoints[{i}]: {e.Message}"); }
        }
        problems.AddRange(TlsProblems(options));
        problems.AddRange(options.Limits.Validate().Select(p => "Server:" + p));
        if (options.ShutdownTimeout < TimeSpan.Zero) problems.Add("Server:ShutdownTimeout must not be negative, e.g. \"00:00:10\"");
        if (AccessLogProblem(options.AccessLog) is { } accessLog) problems.Add(accessLog);
        return problems.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(problems.Select(p => $"{zoneFile.Path}: {p}"));
    }

    private static string? AccessLogProblem(string? path)
    {
        if (path is null || path == "-") return null;
        if (path.Length == 0) return "Server:AccessLog is empty; give a file such as \"access.log\", \"-\" for standard output, or leave it out to log through Logging";
        return Path.GetDirectoryName(path) is { Length: > 0 } folder && !Directory.Exists(folder)
            ? $"Server:AccessLog: the folder {folder} does not exist; create it or give another path"
            : null;
    }

    /// <summary>With an https:// listener, every certificate and authority must load now, so a bad file stops the start instead of the first handshake.</summary>
    private static IEnumerable<string> TlsProblems(ServerOptions options)
    {
        var urls = options.Listeners().Select(e => e.Url ?? "").ToList();
        var https = urls.Where(ListenAddress.IsHttps).ToList();
        var tls = options.Tls;
        if (tls.Acme is { } acme)
        {
            foreach (var acmeProblem in acme.Problems(urls.Any(u => !ListenAddress.IsHttps(u)), https.Count > 0)) yield return acmeProblem;
            if (ServerCertificates.AcmeOverlap(tls) is { } overlap) yield return overlap;
        }
        if (https.Count == 0) yield break;
        if (tls.Certificate is null && tls.Sni.Count == 0 && tls.Acme is null)
        {
            yield return $"Server:Tls: {https[0]} needs a certificate; add \"Tls\": {{ \"Certificate\": {{ \"Path\": \"cert.pem\", \"KeyPath\": \"key.pem\" }} }}, or \"Acme\" for certificates from Let's Encrypt";
            yield break;
        }
        if (tls.HandshakeTimeout <= TimeSpan.Zero) yield return "Server:Tls:HandshakeTimeout must be positive, e.g. \"00:00:10\"";
        string? problem = null;
        try { if (ServerCertificates.AcmeOverlap(tls) is null) new ServerCertificates(tls, NullLogger.Instance).Dispose(); } // (an overlap is said above)
        catch (TlsConfigurationException e) { problem = e.Message; }
        if (problem is not null) yield return problem;
        foreach (var (mode, authority, setting) in ClientCertificateSettings(options))
        {
            problem = null;
            try { if (mode != ClientCertificateMode.None) ClientCertificateValidator.ReadAuthorities(authority, setting); }
            catch (TlsConfigurationException e) { problem = e.Message; }
            if (problem is not null) yield return problem;
        }
    }

    private static IEnumerable<(ClientCertificateMode, string?, string)> ClientCertificateSettings(ServerOptions options)
    {
        yield return (options.Tls.ClientCertificate, options.Tls.ClientCertificateAuthority, "Server:Tls:ClientCertificate");
        for (var i = 0; i < options.Endpoints.Count; i++)
        {
            var endpoint = options.Endpoints[i];
            if (endpoint.ClientCertificate is { } mode)
                yield return (mode, endpoint.ClientCertificateAuthority ?? options.Tls.ClientCertificateAuthority, $"Server:Endpoints[{i}]:ClientCertificate");
        }
    }
}
