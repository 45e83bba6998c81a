using System.Text;
namespace Zones;

/// <summary>UTF-8 text. The byte count is computed once, for Content-Length.</summary>
internal sealed class TextBody(string text) : ResponseBody
{
    private long _length = -1;

    public string Text { get; } = text;

    public override long? Length => _length >= 0 ? _length : _length = ZoneResponse.Utf8.GetByteCount(Text);

    public override ValueTask WriteAsync(ResponseBodyWriter writer, CancellationToken cancellationToken)
    {
        if (writer.Pipe is { } pipe && Length <= BytesBody.SegmentSize)
        {
            ZoneResponse.Utf8.GetBytes(Text, pipe);
            return default;
        }
        return new BytesBody(ZoneResponse.Utf8.GetBytes(Text)).WriteAsync(writer, cancellationToken);
    }
}
