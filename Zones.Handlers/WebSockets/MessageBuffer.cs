using System.Buffers;

namespace Zones.Handlers.WebSockets;

/// <summary>
/// Where a message is reassembled: a pooled array that doubles as fragments arrive, up to one
/// byte past the message limit (so "too big" shows as soon as it happens, not after buffering
/// it all). Between messages it holds nothing, so an idle connection costs no buffer. Arrays
/// past 1 MiB come from the GC, not the pool, so a rare huge message does not leave the pool
/// holding power-of-two arrays twice its size.
/// </summary>
internal sealed class MessageBuffer(int maxMessageBytes)
{
    private const int FirstSize = 4096;
    private const int LargestPooled = 1024 * 1024;

    private readonly int _capacityLimit = maxMessageBytes + 1;
    private byte[]? _array;
    private int _count;

    public bool TooBig => _count > maxMessageBytes;

    public ReadOnlyMemory<byte> Data => _array is null ? default : _array.AsMemory(0, _count);

    /// <summary>Room for the next receive: never empty, never past the limit.</summary>
    public Memory<byte> FreeSpace()
    {
        if (_array is null)
        {
            _array = Rent(Math.Min(FirstSize, _capacityLimit));
        }
        else if (_count == Math.Min(_array.Length, _capacityLimit))
        {
            var bigger = Rent((int)Math.Min((long)_array.Length * 2, _capacityLimit));
            _array.AsSpan(0, _count).CopyTo(bigger);
            Return(_array);
            _array = bigger;
        }
        return _array.AsMemory(_count, Math.Min(_array.Length, _capacityLimit) - _count);
    }

    public void Advance(int count) => _count += count;

    /// <summary>Forgets the message and gives the array back to the pool.</summary>
    public void Release()
    {
        _count = 0;
        if (_array is null) return;
        Return(_array);
        _array = null;
    }

    private static byte[] Rent(int size) =>
        size <= LargestPooled ? ArrayPool<byte>.Shared.Rent(size) : GC.AllocateUninitializedArray<byte>(size);

    private static void Return(byte[] array)
    {
        if (array.Length <= LargestPooled) ArrayPool<byte>.Shared.Return(array);
    }
}
