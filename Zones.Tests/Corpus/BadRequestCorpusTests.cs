using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Corpus;

/// <summary>
/// Replays every file of the bad-input corpus against a real listener: each answer has the
/// documented status (and body, where the file gives one), the connection closes where it must
/// and otherwise still carries a follow-up request, no exception escapes into the log, nothing
/// smuggled is ever answered, and the server goes on serving a fresh connection.
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
                var body = await new StreamReader(c.Request.Body, Encoding.Latin1).ReadToEndAsync();
                var trailers = string.Concat(c.Request.Trailers.Select(t => $"; {t.Key}={t.Value}"));
                return ZoneResult.Respond(ZoneResponse.Text($"read {c.Path}: {body}{trailers}"));
            }),
            TestServer.Zone("/", c => ZoneResult.Respond(ZoneResponse.Text("ok " + c.Path))));

        await using (var conn = await server.ConnectAsync())
        {
            await conn.SendAsync(test.Bytes);
            if (test.HalfClose) conn.Socket.Shutdown(SocketShutdown.Send);
            for (var i = 0; i < test.Expected.Count; i++)
            {
                var (status, close) = test.Expected[i];
                var response = await conn.ReadResponseAsync();
                Assert.True(status == response.Status, $"{test.Name} ({test.Why}): expected {status}, got {response.StatusLine} {response.BodyText}");
                if (test.Bodies.ElementAtOrDefault(i) is { } body) Assert.Equal(body, response.BodyText);
                Assert.DoesNotContain("smuggled", response.BodyText);
                if (close)
                {
                    Assert.Equal("close", response.Headers.GetValueOrDefault("Connection"));
                    Assert.True(await conn.WaitForCloseAsync(), $"{test.Name}: the connection stayed open");
                    Assert.DoesNotContain("smuggled", Encoding.Latin1.GetString(conn.Unread));
                }
            }
            if (!test.Expected[^1].Close && !test.HalfClose)
            {
                // "keep" means the connection is still good for the next request.
                await conn.SendAsync("GET /follow-up HTTP/1.1\r\nHost: t\r\n\r\n");
                var followUp = await conn.ReadResponseAsync();
                Assert.True(followUp.BodyText == "ok /follow-up", $"{test.Name}: the connection kept open did not answer a follow-up request: {followUp.StatusLine} {followUp.BodyText}");
            }
        }

        await using var next = await server.ConnectAsync();
        await next.SendAsync("GET /next HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.Equal("ok /next", (await next.ReadResponseAsync()).BodyText);
        Assert.DoesNotContain(server.Logs.Entries, e => e.Level >= LogLevel.Error);
    }
}
