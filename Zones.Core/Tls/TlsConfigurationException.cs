namespace Zones.Tls;

/// <summary>A certificate, key or authority file cannot be used; the message names the setting, the file and the fix.</summary>
public sealed class TlsConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
