namespace Zones;

/// <summary>
/// A file became shorter while it was being sent: the response cannot be finished as its head
/// promised, so the connection ends after what was sent. An IOException, so it ends the
/// connection as a lost client does; the server logs it as a warning, since it is the site's doing.
/// </summary>
public sealed class FileChangedException() : IOException("The file became shorter while it was being sent.");
