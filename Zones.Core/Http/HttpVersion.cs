namespace Zones;

public enum HttpVersion
{
    Http10,
    Http11,
}
