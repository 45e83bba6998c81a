using System.Buffers;
using System.IO.Pipelines;

using Zones.Http;

namespace Zones.RequestData;

/// <summary>
/// Streams an application/x-www-form-urlencoded body: one "name=value" pair at a time is held,
/// never the whole body, and the field count and size limits are checked as pairs arrive.
/// </summary>
internal static class UrlEncodedFormReader
{
    public static async Task<RequestForm> ReadAsync(PipeReader reader, FormLimits limits, CancellationToken cancellationToken)
    {
        var fields = new List<KeyValuePair<string, string>>();
        long searched = 0; // bytes of the unfinished pair already searched for '&': a long field is scanned once, not once per read
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            while (FormReader.TryFind(buffer.Slice(searched), "&"u8, out var amp))
            {
                AddPair(buffer.Slice(0, amp), fields, limits);
                buffer = buffer.Slice(buffer.GetPosition(1, amp));
                searched = 0;
            }
            searched = buffer.Length;
            if (buffer.Length > limits.MaxFieldSize) throw TooLarge(limits);
            if (result.IsCompleted)
            {
                AddPair(buffer, fields, limits);
                reader.AdvanceTo(buffer.End);
                return new RequestForm(ParameterList.Wrap(fields), []);
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static void AddPair(ReadOnlySequence<byte> pair, List<KeyValuePair<string, string>> fields, FormLimits limits)
    {
        if (pair.IsEmpty) return;
        if (pair.Length > limits.MaxFieldSize) throw TooLarge(limits);
        if (fields.Count >= limits.MaxFields) throw new BadHttpRequestException(413, $"The form has more than {limits.MaxFields} fields.");
        var bytes = pair.IsSingleSegment ? pair.FirstSpan : pair.ToArray();
        var eq = bytes.IndexOf((byte)'=');
        fields.Add(eq < 0
            ? new(UrlEncoding.Decode(bytes), "")
            : new(UrlEncoding.Decode(bytes[..eq]), UrlEncoding.Decode(bytes[(eq + 1)..])));
    }

    private static BadHttpRequestException TooLarge(FormLimits limits) =>
        new(413, $"A form field is larger than {limits.MaxFieldSize} bytes.");
}
