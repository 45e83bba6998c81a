using Zones.Pipeline;

namespace Zones.Testing;

/// <summary>A zone table built from zones.json text, with the services its handlers were made from (e.g. <c>Services.GetRequiredService&lt;IFeeds&gt;()</c> to publish).</summary>
/// <param name="Zones">The table, in zones.json order.</param>
/// <param name="Services">The service provider the handlers came from; requests run with it.</param>
public sealed record ZoneTestTable(ZoneTable Zones, IServiceProvider Services);
