using System.Globalization;

namespace Zones.Handlers.Feeds;

/// <summary>
/// Where an event stands in its feed's history, as clients see it in event ids: <c>EPOCH:OFFSET</c>
/// (<c>k3f9a2qx:42</c>). The offset counts the feed's events 1, 2, 3…; the epoch names the history
/// those offsets belong to and changes when that history is lost — a restart of the in-process
/// feeds, a Redis wiped or restarted empty. An id whose epoch is not the feed's is so recognised
/// as coming from a history that is gone, and the client is told (<see cref="FeedHistory.ResetEvent"/>)
/// instead of being given events that happen to carry the same numbers.
/// </summary>
public readonly record struct FeedPosition(string Epoch, long Offset)
{
    /// <summary>The longest epoch an id may carry; a longer one is not a position (ids come from clients).</summary>
    public const int MaxEpochLength = 32;

    /// <summary>The history's name; "" for a plain-number id (and in a default value).</summary>
    public string Epoch { get; init; } = Epoch ?? "";

    /// <summary>"0": before the first event of whatever history the feed has — everything it keeps, with no reset.</summary>
    public static readonly FeedPosition Start = new("", 0);

    /// <summary>True for <see cref="Start"/>: before every event the feed keeps.</summary>
    public bool IsStart => Epoch.Length == 0 && Offset == 0;

    /// <summary>A fresh epoch: 12 random lowercase letters and digits.</summary>
    /// <remarks>
    /// An epoch only has to differ from every other history's (36^12 values), not be secret: ids
    /// carry it to every client. So the seeded generator, not the cryptographic one, which loads and
    /// initialises OpenSSL at the first feed (a few ms of CPU in a native start over plain http).
    /// </remarks>
    public static string NewEpoch() => string.Create(12, 0, static (chars, _) => Random.Shared.GetItems(EpochCharacters.AsSpan(), chars));

    private const string EpochCharacters = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>
    /// Parses an id as the feeds give it out. <c>0</c> is <see cref="Start"/>. Another plain number —
    /// an id from before epochs, or from a client that counts by itself — is accepted with an empty
    /// epoch, which no history has: it resumes as a position from another history (the reset
    /// event, then what is kept).
    /// </summary>
    public static bool TryParse(string? text, out FeedPosition position)
    {
        position = default;
        if (string.IsNullOrEmpty(text)) return false;
        var colon = text.IndexOf(':');
        var epoch = colon < 0 ? "" : text[..colon];
        if (colon >= 0 && !IsEpoch(epoch)) return false;
        if (!long.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)) return false;
        position = new FeedPosition(epoch, offset);
        return true;
    }

    /// <summary>1 to <see cref="MaxEpochLength"/> ASCII letters and digits: safe in an id, a URL, a Redis key.</summary>
    public static bool IsEpoch(string? epoch)
    {
        if (string.IsNullOrEmpty(epoch) || epoch.Length > MaxEpochLength) return false;
        foreach (var c in epoch)
        {
            if (!char.IsAsciiLetterOrDigit(c)) return false;
        }
        return true;
    }

    /// <summary>The id as clients see it: "EPOCH:OFFSET", or the plain offset when there is no epoch.</summary>
    public override string ToString() =>
        Epoch.Length == 0 ? Offset.ToString(CultureInfo.InvariantCulture) : $"{Epoch}:{Offset.ToString(CultureInfo.InvariantCulture)}";
}
