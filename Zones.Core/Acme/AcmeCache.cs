using System.Security.Cryptography;
using System.Text;

namespace Zones.Acme;

/// <summary>
/// The files in CacheFolder, one folder per CA (an account belongs to one CA, and a staging
/// certificate must not be served once the directory is production's):
/// <c>account.key</c> (the account's key), <c>certificate.pem</c> (the certificate, then its
/// chain) and <c>certificate.key</c>. Keys are written mode 0600, every file is replaced by a
/// rename so a reader never sees half of one.
/// </summary>
internal sealed class AcmeCache
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = OwnerOnly | UnixFileMode.UserExecute;
    private const UnixFileMode Readable = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public AcmeCache(string cacheFolder, Uri directory)
    {
        Folder = Path.Combine(cacheFolder, FolderName(directory));
    }

    public string Folder { get; }

    public string AccountKeyPath => Path.Combine(Folder, "account.key");

    public string CertificatePath => Path.Combine(Folder, "certificate.pem");

    public string CertificateKeyPath => Path.Combine(Folder, "certificate.key");

    /// <summary>"acme-v02.api.letsencrypt.org-directory"; a port other than 443 joins the host with '_'.</summary>
    public static string FolderName(Uri directory)
    {
        var name = directory.IsDefaultPort ? directory.Host : $"{directory.Host}_{directory.Port}";
        name += directory.AbsolutePath.Replace('/', '-').TrimEnd('-');
        var safe = new StringBuilder(name.Length);
        foreach (var c in name) safe.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        return safe.ToString();
    }

    /// <summary>The account key, created (and kept) on first use.</summary>
    public AccountKey AccountKey()
    {
        if (File.Exists(AccountKeyPath))
        {
            var key = ECDsa.Create();
            try
            {
                key.ImportFromPem(File.ReadAllText(AccountKeyPath));
                return new AccountKey(key);
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                key.Dispose();
                // Never replaced silently: a new key is a new account, and the old one may matter.
                throw new AcmeException($"{AccountKeyPath} is not an ECDSA private key in PEM ({e.Message}); move it away to let Zones create a new account", e);
            }
        }
        var created = Acme.AccountKey.Create();
        Write(AccountKeyPath, created.Key.ExportPkcs8PrivateKeyPem(), OwnerOnly);
        return created;
    }

    /// <summary>The cached certificate, or null when there is none; a broken one is an exception for the caller to log.</summary>
    public IssuedCertificate? Certificate()
    {
        if (!File.Exists(CertificatePath) || !File.Exists(CertificateKeyPath)) return null;
        return IssuedCertificate.FromPem(File.ReadAllText(CertificatePath), File.ReadAllText(CertificateKeyPath));
    }

    /// <summary>Stores a new certificate: its key first, so a crash between the two leaves a pair that does not load rather than a certificate with an old key.</summary>
    public void Store(string chainPem, string keyPem)
    {
        Write(CertificateKeyPath, keyPem, OwnerOnly);
        Write(CertificatePath, chainPem, Readable);
    }

    private void Write(string path, string text, UnixFileMode mode)
    {
        if (!Directory.Exists(Folder))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(Folder);
            else Directory.CreateDirectory(Folder, OwnerOnlyFolder);
        }
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = mode;
        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(Encoding.ASCII.GetBytes(text));
            stream.Flush(flushToDisk: true);
        }
        // A leftover .tmp from a crash may have been created with other permissions.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, mode);
        File.Move(temporary, path, overwrite: true);
    }
}
