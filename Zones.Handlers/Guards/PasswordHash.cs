using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Zones.Handlers.Guards;

/// <summary>
/// A salted password hash as one self-describing string, the form basicauth's <c>Users</c> hold:
/// <c>$pbkdf2-sha256$600000$SALT$HASH</c> — PBKDF2 with HMAC-SHA256 (RFC 8018), the iteration
/// count, then the salt and the derived key in base64. Only the hash is ever stored; checking a
/// password derives the key again and compares in constant time.
/// </summary>
public sealed class PasswordHash
{
    /// <summary>The prefix that marks a string as one of these hashes.</summary>
    public const string Scheme = "$pbkdf2-sha256$";

    /// <summary>OWASP's figure for PBKDF2-HMAC-SHA256 (2023); fewer is refused, more is accepted.</summary>
    public const int MinimumIterations = 600_000;

    private const int SaltBytes = 16;
    private const int KeyBytes = 32;

    private readonly byte[] _salt;
    private readonly byte[] _key;

    private PasswordHash(int iterations, byte[] salt, byte[] key)
    {
        Iterations = iterations;
        _salt = salt;
        _key = key;
    }

    /// <summary>The PBKDF2 iteration count the hash was made with.</summary>
    public int Iterations { get; }

    /// <summary>Hashes <paramref name="password"/> with a fresh random salt.</summary>
    public static PasswordHash Create(string password, int iterations = MinimumIterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinimumIterations);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return new PasswordHash(iterations, salt, Derive(Encoding.UTF8.GetBytes(password), salt, iterations, KeyBytes));
    }

    /// <summary>
    /// A hash no password matches, with the given cost: checking an unknown user against it
    /// takes as long as checking a known one, so the answer's timing does not tell who exists.
    /// </summary>
    public static PasswordHash Unmatchable(int iterations) =>
        new(iterations, RandomNumberGenerator.GetBytes(SaltBytes), RandomNumberGenerator.GetBytes(KeyBytes));

    /// <summary>Reads the stored form; false with <paramref name="problem"/> saying what is wrong with it.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out PasswordHash? hash, [NotNullWhen(false)] out string? problem)
    {
        hash = null;
        if (!text.StartsWith(Scheme, StringComparison.Ordinal))
        {
            problem = "is not a password hash (plain-text passwords are not accepted)";
            return false;
        }
        var parts = text[Scheme.Length..].Split('$');
        if (parts.Length != 3 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            || !TryBase64(parts[1], out var salt) || salt.Length < SaltBytes || !TryBase64(parts[2], out var key) || key.Length < KeyBytes)
        {
            problem = $"is not a whole {Scheme}ITERATIONS$SALT$HASH string (salt of at least {SaltBytes} bytes, hash of at least {KeyBytes}, in base64)";
            return false;
        }
        if (iterations < MinimumIterations)
        {
            problem = $"has {iterations} iterations, fewer than the {MinimumIterations} required";
            return false;
        }
        hash = new PasswordHash(iterations, salt, key);
        problem = null;
        return true;
    }

    /// <summary>True when <paramref name="password"/>, in UTF-8 as <see cref="Create"/> hashes it, derives this key.</summary>
    public bool Verify(ReadOnlySpan<byte> password) =>
        CryptographicOperations.FixedTimeEquals(Derive(password, _salt, Iterations, _key.Length), _key);

    /// <summary>The hash as stored: "$pbkdf2-sha256$ITERATIONS$SALT$HASH".</summary>
    public override string ToString() =>
        $"{Scheme}{Iterations.ToString(CultureInfo.InvariantCulture)}${Convert.ToBase64String(_salt)}${Convert.ToBase64String(_key)}";

    private static byte[] Derive(ReadOnlySpan<byte> password, byte[] salt, int iterations, int length) =>
        Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, length);

    private static bool TryBase64(string text, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromBase64String(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
