using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Zones.Tls;

/// <summary>
/// Reads a certificate and its key from files (PEM or PKCS#12) and checks it can serve: the
/// files exist, the key matches, a password opens it, it has not expired. Every failure is one
/// message naming the setting, the file and the fix.
/// </summary>
internal static class CertificateLoader
{
    /// <param name="file">Paths already absolute.</param>
    /// <param name="setting">What zones.json calls it, e.g. "Server:Tls:Sni:example.com".</param>
    /// <param name="time">The clock the expiry is judged by.</param>
    public static LoadedCertificate Load(CertificateFile file, string setting, TimeProvider? time = null)
    {
        if (string.IsNullOrWhiteSpace(file.Path))
            throw new TlsConfigurationException($"{setting}: \"Path\" is missing; give the certificate file, e.g. {{ \"Path\": \"cert.pem\", \"KeyPath\": \"key.pem\" }}");
        foreach (var path in file.Files())
        {
            if (!File.Exists(path))
                throw new TlsConfigurationException($"{setting}: {path} does not exist; fix the path (relative paths start at the zone file's folder) or create the file, e.g. openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout key.pem -out cert.pem -days 365 -subj /CN=localhost");
        }
        var hash = ContentHash(file);
        var key = RecentCertificates.KeyOf(file, hash);
        var loaded = RecentCertificates.Find(key);
        if (loaded is null)
        {
            var (leaf, chain) = file.IsPkcs12 ? ReadPkcs12(file, setting) : ReadPem(file, setting);
            if (!leaf.HasPrivateKey)
                throw new TlsConfigurationException($"{setting}: {file.Path} holds no private key; give it with \"KeyPath\"");
            loaded = new LoadedCertificate(leaf, chain, hash);
        }
        // Judged at every load, found or read: the clock may have moved on.
        var now = (time ?? TimeProvider.System).GetUtcNow();
        if (loaded.Leaf.NotAfter.ToUniversalTime() < now.UtcDateTime)
            throw new TlsConfigurationException($"{setting}: the certificate in {file.Path} ({loaded.Leaf.Subject}) expired on {loaded.Leaf.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC; renew it, or let ACME keep one (Server:Tls:Acme)");
        RecentCertificates.Add(key, loaded);
        return loaded;
    }

    /// <summary>A hash of the bytes of every file the certificate is read from.</summary>
    public static string ContentHash(CertificateFile file)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in file.Files()) sha.AppendData(File.ReadAllBytes(path));
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    private static (X509Certificate2, X509Certificate2Collection) ReadPem(CertificateFile file, string setting)
    {
        try
        {
            var keyPath = file.KeyPath ?? file.Path!;
            var leaf = file.Password is { } password
                ? X509Certificate2.CreateFromEncryptedPemFile(file.Path!, password, keyPath)
                : X509Certificate2.CreateFromPemFile(file.Path!, keyPath);
            var all = new X509Certificate2Collection();
            all.ImportFromPemFile(file.Path!);
            return (leaf, Intermediates(all, leaf));
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new TlsConfigurationException(
                $"{setting}: {file.Path} with key {file.KeyPath ?? file.Path} cannot be used ({e.Message.TrimEnd('.')}); the key must be the certificate's own, both PEM" +
                (file.Password is null ? " (an encrypted key needs \"Password\")" : " and the password right"), e);
        }
    }

    private static (X509Certificate2, X509Certificate2Collection) ReadPkcs12(CertificateFile file, string setting)
    {
        try
        {
            var all = X509CertificateLoader.LoadPkcs12CollectionFromFile(file.Path!, file.Password, X509KeyStorageFlags.EphemeralKeySet);
            var leaf = all.FirstOrDefault(c => c.HasPrivateKey)
                ?? throw new TlsConfigurationException($"{setting}: {file.Path} holds no certificate with a private key");
            return (leaf, Intermediates(all, leaf));
        }
        catch (CryptographicException e)
        {
            throw new TlsConfigurationException(
                $"{setting}: {file.Path} cannot be opened ({e.Message.TrimEnd('.')}); check \"Password\"", e);
        }
    }

    private static X509Certificate2Collection Intermediates(X509Certificate2Collection all, X509Certificate2 leaf)
    {
        var chain = new X509Certificate2Collection();
        foreach (var certificate in all)
        {
            if (certificate.Thumbprint != leaf.Thumbprint) chain.Add(certificate);
        }
        return chain;
    }
}
