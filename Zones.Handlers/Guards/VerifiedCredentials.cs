using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Zones.Handlers.Guards;

/// <summary>
/// Credentials basicauth has already checked, so that a keep-alive client (a browser sends the
/// header with every request) pays the deliberate cost of PBKDF2 once, not per request. Keyed by
/// a SHA-256 of user and password, never the password itself; only successes are kept, so a
/// wrong password always pays the full cost. Bounded: past <see cref="Capacity"/> entries the
/// cache starts over. A new zone table (zones.json edited) builds new handlers and new caches.
/// </summary>
internal sealed class VerifiedCredentials(int capacity = VerifiedCredentials.DefaultCapacity)
{
    public const int DefaultCapacity = 1024;

    private readonly ConcurrentDictionary<UInt128Pair, string> _users = new();

    public int Capacity => capacity;

    public int Count => _users.Count;

    public bool TryGet(in BasicCredentials credentials, out string user) =>
        _users.TryGetValue(KeyOf(credentials), out user!);

    public void Add(in BasicCredentials credentials)
    {
        if (_users.Count >= capacity) _users.Clear();
        _users[KeyOf(credentials)] = credentials.User;
    }

    private static UInt128Pair KeyOf(in BasicCredentials credentials)
    {
        // "LENGTH:USER:PASSWORD" in UTF-8, the user's length first so "a" + "b:c" and "a:b" + "c"
        // cannot collide; written into a stack or pooled buffer, since this runs on every request.
        var (user, password) = (credentials.User, credentials.Password);
        var most = 11 + 2 + Encoding.UTF8.GetMaxByteCount(user.Length + password.Length);
        var rented = most > 512 ? ArrayPool<byte>.Shared.Rent(most) : null;
        var text = rented ?? stackalloc byte[512];
        try
        {
            user.Length.TryFormat(text, out var n, provider: CultureInfo.InvariantCulture);
            text[n++] = (byte)':';
            n += Encoding.UTF8.GetBytes(user, text[n..]);
            text[n++] = (byte)':';
            n += Encoding.UTF8.GetBytes(password, text[n..]);
            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(text[..n], digest);
            return new UInt128Pair(BitConverter.ToUInt128(digest), BitConverter.ToUInt128(digest[16..]));
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented, clearArray: true); // no password left in the shared pool
        }
    }

    private readonly record struct UInt128Pair(UInt128 High, UInt128 Low);
}
