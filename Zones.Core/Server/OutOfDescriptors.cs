using System.Net.Sockets;

namespace Zones.Server;

/// <summary>
/// Whether a failure is the process running out of file descriptors (EMFILE) or the system
/// (ENFILE): a handler that could not open its file then is not broken, the server is
/// overloaded for a moment, and the client is told to come back (503) instead of given a 500.
/// </summary>
internal static class OutOfDescriptors
{
    private const int Enfile = 23, Emfile = 24; // Linux's errno values; IOException carries the raw errno as its HResult

    public static bool Is(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.TooManyOpenSockets }) return true;
            if (e is IOException && OperatingSystem.IsLinux() && e.HResult is Enfile or Emfile) return true;
        }
        return false;
    }
}
