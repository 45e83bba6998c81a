using System.Buffers;
using System.Text;

namespace Zones.Handlers.Feeds;

/// <summary>A request body read whole as an event's data: UTF-8 text, refused when larger than a limit.</summary>
internal static class EventData
{
    /// <summary>The body as text, or null when it is larger than <paramref name="maxBytes"/>.</summary>
    public static async Task<string?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes) return null;
        var buffer = ArrayPool<byte>.Shared.Rent(maxBytes + 1);
        try
        {
            var length = 0;
            int n;
            while ((n = await request.Body.ReadAsync(buffer.AsMemory(length, maxBytes + 1 - length), cancellationToken)) > 0)
            {
                length += n;
                if (length > maxBytes) return null;
            }
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
