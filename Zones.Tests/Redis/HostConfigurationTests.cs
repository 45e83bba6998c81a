using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Zones.Handlers.Feeds;
using Zones.Handlers.WebSockets;
using Zones.Redis;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Redis;

/// <summary>"Feeds": { "Redis": … } in zones.json turns the Redis backend on in the real host; a bad entry stops the start naming it.</summary>
public sealed class HostConfigurationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("zones-redis-config-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The real host with what Zones.Host's Program.cs adds for scale-out.</summary>
    private static Task<Microsoft.Extensions.Hosting.IHost> StartAsync(string zones) =>
        TestHost.StartAsync(["--zones", zones, "--urls", "http://127.0.0.1:0"], builder => builder.Services.AddZonesRedisWhenConfigured(builder.Configuration));

    private async Task<string> WriteAsync(string json)
    {
        var path = Path.Combine(_folder, "zones.json");
        await File.WriteAllTextAsync(path, json);
        return path;
    }

    [Fact]
    public async Task Without_a_redis_section_the_feeds_stay_in_process_and_with_one_they_are_shared()
    {
        var plain = await WriteAsync("""{ "Zones": [ { "Prefix": "/", "Handler": "notfound" } ] }""");
        using (var host = await StartAsync(plain))
        {
            Assert.IsType<InProcessFeeds>(host.Services.GetRequiredService<IFeeds>());
            Assert.Null(host.Services.GetService<IWebSocketBackplane>());
            await host.StopAsync();
        }

        await using var redis = await RedisServer.StartAsync();
        var shared = await WriteAsync($$"""
            { "Feeds": { "Names": [ "news" ], "BufferSize": 50, "Redis": { "Configuration": "{{redis.Configuration}}", "Prefix": "site1:" } },
              "Zones": [ { "Prefix": "/", "Handler": "notfound" } ] }
            """);
        using (var host = await StartAsync(shared))
        {
            var feeds = Assert.IsType<RedisFeeds>(host.Services.GetRequiredService<IFeeds>());
            Assert.IsType<RedisBackplane>(host.Services.GetRequiredService<IWebSocketBackplane>());
            var published = await feeds.PublishAsync("news", "message", "through redis");
            Assert.Equal(":1", await redis.CommandAsync("EXISTS", "site1:feed:{news}:events")); // the prefix from zones.json
            Assert.Equal(published.Id, (await feeds.SinceAsync("news", null)).Single().Id);
            await host.StopAsync();
        }
    }

    [Theory]
    [InlineData("""{ "Configuration": "" }""", "Feeds:Redis:Configuration is empty")]
    [InlineData("""{ "Configuration": "127.0.0.1:6379", "Prefix": "has space" }""", "Feeds:Redis:Prefix \"has space\"")]
    [InlineData("""{ "Configuration": "127.0.0.1:6379", "PositionCheckInterval": "00:00:00" }""", "Feeds:Redis:PositionCheckInterval")]
    public async Task A_bad_redis_entry_stops_the_start_naming_the_file_the_entry_and_the_fix(string section, string problem)
    {
        var path = await WriteAsync($$"""{ "Feeds": { "Redis": {{section}} }, "Zones": [ { "Prefix": "/", "Handler": "notfound" } ] }""");
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(path));
        var failure = Assert.Single(e.Failures);
        Assert.StartsWith($"{path}: {problem}", failure);
        Assert.Contains("e.g.", failure);
    }
}
