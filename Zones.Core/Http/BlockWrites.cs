using System.Buffers;

namespace Zones.Http;

/// <summary>
/// Copies bytes into the connection's output in contiguous blocks of up to 64 KiB. The usual
/// <c>Write</c> fills the output's current buffer and then 4 KiB ones, and a flush sends each
/// buffer with a send(2) of its own — about 37 for a 146 KiB body (BlockWritesTests counts them).
/// </summary>
internal static class BlockWrites
{
    /// <summary>The largest block asked for: the size the file copy reads in.</summary>
    public const int BlockSize = 64 * 1024;

    public static void WriteInBlocks(this IBufferWriter<byte> output, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var block = output.GetSpan(Math.Min(data.Length, BlockSize));
            var count = Math.Min(block.Length, data.Length);
            data[..count].CopyTo(block);
            output.Advance(count);
            data = data[count..];
        }
    }
}
