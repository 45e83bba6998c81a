using Microsoft.Win32.SafeHandles;

namespace Zones.Handlers.Static;

/// <summary>
/// A byte range of a file the handler has already opened (so the length and date it announced
/// are the ones of the bytes it sends). Owns the handle: the server disposes the body after the
/// response, whether it completed or the client went away.
/// </summary>
internal sealed class OpenFileBody(SafeFileHandle handle, long offset, long length) : ResponseBody
{
    public override long? Length => length;

    public override ValueTask WriteAsync(ResponseBodyWriter writer, CancellationToken cancellationToken) =>
        FileBody.CopyAsync(handle, offset, length, writer, cancellationToken);

    public override ValueTask DisposeAsync()
    {
        handle.Dispose();
        return base.DisposeAsync();
    }
}
