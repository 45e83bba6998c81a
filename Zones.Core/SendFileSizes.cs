namespace Zones;

/// <summary>
/// Where file bodies switch from a pooled-buffer copy to sendfile(2), and the slice each sendfile
/// call is given, chosen from bench/sendfile.sh's measurements (README, Performance). Not options:
/// no user should need them. bench/sendfile.sh sets the runtimeconfig.json properties
/// <c>Zones.SendFile.MinLength</c> and <c>Zones.SendFile.SliceLength</c> to measure other choices.
/// </summary>
internal static class SendFileSizes
{
    /// <summary>Ranges at least this long go out with sendfile when the connection allows it.</summary>
    public static readonly long MinLength = Read("Zones.SendFile.MinLength", 256 * 1024);

    /// <summary>The most one sendfile call is given; the write deadline is judged per slice.</summary>
    public static readonly int SliceLength = (int)Read("Zones.SendFile.SliceLength", 4 * 1024 * 1024);

    private static long Read(string name, long fallback) =>
        AppContext.GetData(name) is string text && long.TryParse(text, out var value) && value >= 0 ? value : fallback;
}
