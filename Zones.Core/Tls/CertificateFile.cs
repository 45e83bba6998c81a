namespace Zones.Tls;

/// <summary>
/// Where a certificate lives, with Kestrel's key names: a PEM certificate (the leaf first, then
/// its chain) with its key in <see cref="KeyPath"/> (or in the same file), or a PKCS#12 file
/// (.pfx, .p12) with its <see cref="Password"/>. Relative paths start at the zone file's folder.
/// </summary>
public sealed class CertificateFile
{
    /// <summary>The certificate file: PEM (leaf first, then its chain) or PKCS#12 (.pfx, .p12).</summary>
    public string? Path { get; set; }

    /// <summary>The PEM private key (RSA or ECDSA); leave it out when the key is in <see cref="Path"/> or the file is PKCS#12.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The PKCS#12 file's password, or an encrypted PEM key's.</summary>
    public string? Password { get; set; }

    internal bool IsPkcs12 => Path is { } path && (path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase));

    internal CertificateFile ResolvedAgainst(string folder) => new()
    {
        Path = Path is null ? null : System.IO.Path.GetFullPath(Path, folder),
        KeyPath = KeyPath is null ? null : System.IO.Path.GetFullPath(KeyPath, folder),
        Password = Password,
    };

    /// <summary>The files to read (certificate, then key when separate), for loading and for noticing changes.</summary>
    internal IEnumerable<string> Files()
    {
        if (Path is not null) yield return Path;
        if (KeyPath is not null) yield return KeyPath;
    }
}
