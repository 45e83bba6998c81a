using System.Security.Cryptography;
using System.Text;

namespace Zones.Tls;

/// <summary>
/// The certificates loaded in the last half minute, by their files, password and the files'
/// content. A start loads each certificate twice — once to check the configuration with every
/// other problem (ServerOptionsValidator), once for the server — and the second load finds the
/// first's instead of parsing the PEM and the key again (1–2 ms of a native start). A loaded
/// certificate is never changed, and any edit to its files changes the content hash, so what is
/// found is what a load would make.
/// </summary>
internal static class RecentCertificates
{
    private const int Capacity = 16; // a handful of certificates per server; tests load many more
    private static readonly TimeSpan KeptFor = TimeSpan.FromSeconds(30);
    private static readonly Lock Gate = new();
    private static readonly List<(string Key, long Until, LoadedCertificate Certificate)> Entries = [];

    /// <summary>What identifies a load: the paths, the password (hashed, not kept) and the files' content hash.</summary>
    public static string KeyOf(CertificateFile file, string contentHash)
    {
        var identity = SHA256.HashData(Encoding.UTF8.GetBytes($"{file.Path}\0{file.KeyPath}\0{file.Password}"));
        return contentHash + ":" + Convert.ToHexString(identity);
    }

    public static LoadedCertificate? Find(string key)
    {
        var now = Environment.TickCount64;
        lock (Gate)
        {
            Entries.RemoveAll(e => e.Until <= now);
            foreach (var entry in Entries)
                if (entry.Key == key) return entry.Certificate;
        }
        return null;
    }

    public static void Add(string key, LoadedCertificate certificate)
    {
        var until = Environment.TickCount64 + (long)KeptFor.TotalMilliseconds;
        lock (Gate)
        {
            Entries.RemoveAll(e => e.Key == key);
            if (Entries.Count == Capacity) Entries.RemoveAt(0);
            Entries.Add((key, until, certificate));
        }
    }
}
