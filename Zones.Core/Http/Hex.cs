namespace Zones.Http;

/// <summary>Hex digits as percent-encoding and chunk sizes use them: 0-9, a-f, A-F and nothing else (no whitespace, no sign).</summary>
internal static class Hex
{
    public static bool IsDigit(byte b) => (uint)(b - '0') <= 9 || (uint)((b | 0x20) - 'a') <= 5;

    /// <summary>The value of a digit for which <see cref="IsDigit(byte)"/> holds.</summary>
    public static int Value(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

    /// <summary>The byte "%HL" stands for, when both are hex digits.</summary>
    public static bool TryDecode(byte high, byte low, out byte value)
    {
        var ok = IsDigit(high) && IsDigit(low);
        value = ok ? (byte)((Value(high) << 4) | Value(low)) : (byte)0;
        return ok;
    }

    public static bool TryDecode(char high, char low, out byte value)
    {
        value = 0;
        return high < 0x80 && low < 0x80 && TryDecode((byte)high, (byte)low, out value);
    }
}
