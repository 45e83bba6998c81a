namespace Zones.Server;

/// <summary>The "Server" section of zones.json.</summary>
public sealed class ServerOptions
{
    /// <summary>Where to listen: "http://127.0.0.1:8080", "http://[::1]:8080", "http://0.0.0.0:80", "http://localhost:8080". Port 0 picks a free port.</summary>
    public List<string> Urls { get; set; } = [];

    public ServerLimits Limits { get; set; } = new();

    /// <summary>The Server header's value; empty sends none.</summary>
    public string ServerHeader { get; set; } = "Zones";

    /// <summary>On shutdown, how long in-flight requests may take to finish before their connections are cut.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
