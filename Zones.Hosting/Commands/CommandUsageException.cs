namespace Zones.Hosting.Commands;

/// <summary>The command line is wrong: the message says how; the command prints it with the usage and exits 2.</summary>
internal sealed class CommandUsageException(string message) : Exception(message);
