using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Corpus;

/// <summary>
/// Replays every file of the bad-input corpus against a real listener: each answer has the
/// documented status, the connection closes where it must, no exception escapes into the log,
/// nothing smuggled is ever answered, and the server goes on serving a fresh connection.
/// </summary>
public sealed class BadRequestCorpusTests
{
    public static TheoryData<string> Cases =>
        new(Directory.GetFiles(BadRequestCase.Folder, "*.http").Select(Path.GetFileName).Order()!);

    [Fact]
    public void The_corpus_has_at_least_80_cases() => Assert.True(Cases.Count >= 80, $"{Cases.Count} cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_case_gets_its_documented_answer(string file)
    {
        var test = BadRequestCase.Load(Path.Combine(BadRequestCase.Folder, file));
        await using var server = await TestServer.StartAsync(
            TestServer.Zone("/body", async c =>
            {
                await c.Request.Body.CopyToAsync(Stream.Null);
                return ZoneResult.Respond(ZoneResponse.Text("read " + c.Path));
            }),
            TestServer.Zone("/", c => ZoneResult.Respond(ZoneResponse.Text("ok " + c.Path))));

        await using (var conn = await server.ConnectAsync())
        {
            await conn.SendAsync(test.Bytes);
            if (test.HalfClose) conn.Socket.Shutdown(SocketShutdown.Send);
            foreach (var (status, close) in test.Expected)
            {
                var response = await conn.ReadResponseAsync();
                Assert.True(status == response.Status, $"{test.Name} ({test.Why}): expected {status}, got {response.StatusLine} {response.BodyText}");
                Assert.DoesNotContain("smuggled", response.BodyText);
                if (close)
                {
                    Assert.Equal("close", response.Headers.GetValueOrDefault("Connection"));
                    Assert.True(await conn.WaitForCloseAsync(), $"{test.Name}: the connection stayed open");
                    Assert.DoesNotContain("smuggled", Encoding.Latin1.GetString(conn.Unread));
                }
            }
        }

        await using var next = await server.ConnectAsync();
        await next.SendAsync("GET /next HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.Equal("ok /next", (await next.ReadResponseAsync()).BodyText);
        Assert.DoesNotContain(server.Logs.Entries, e => e.Level >= LogLevel.Error);
    }
}
