using System.Net.Sockets;
using System.Text;
using Zones.Http;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Server;

/// <summary>
/// Pipelined requests are answered in order, each with its own framing, and the answers to the
/// requests of one read leave in one write — but never wait behind a request that waits.
/// </summary>
public sealed class PipeliningTests
{
    private static string Get(string path) => $"GET {path} HTTP/1.1\r\nHost: t\r\n\r\n";

    private static Task<TestServer> StartAsync(params Zone[] more) =>
        TestServer.StartAsync([.. more, TestServer.Zone("/n/", c => ZoneResult.Respond(ZoneResponse.Text(c.Request.Path[3..])))], null);

    [Fact]
    public async Task The_answers_to_sixteen_requests_sent_in_one_write_arrive_in_one_read_and_in_order()
    {
        await using var server = await StartAsync();
        await using var connection = await server.ConnectAsync();
        await connection.SendAsync(string.Concat(Enumerable.Range(1, 16).Select(i => Get($"/n/{i:D2}"))));

        // One receive: had the server flushed each answer, the first ones would come alone.
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = await connection.Socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        var text = Encoding.Latin1.GetString(buffer, 0, received);
        var bodies = text.Split("HTTP/1.1 200 OK").Skip(1).Select(r => r[^2..]).ToList();
        Assert.Equal(Enumerable.Range(1, 16).Select(i => $"{i:D2}"), bodies);
    }

    [Fact]
    public async Task A_batch_larger_than_the_output_buffer_is_answered_whole_and_in_order()
    {
        await using var server = await StartAsync();
        await using var connection = await server.ConnectAsync();
        await connection.SendAsync(string.Concat(Enumerable.Range(100, 200).Select(i => Get($"/n/{i}"))));
        for (var i = 100; i < 300; i++)
        {
            var response = await connection.ReadResponseAsync();
            Assert.Equal(200, response.Status);
            Assert.Equal($"{i}", response.BodyText);
        }
    }

    [Fact]
    public async Task An_answer_does_not_wait_behind_a_pipelined_request_whose_handler_waits()
    {
        var release = new TaskCompletionSource();
        await using var server = await StartAsync(TestServer.Zone("/wait", async _ =>
        {
            await release.Task;
            return ZoneResult.Respond(ZoneResponse.Text("waited"));
        }));
        await using var connection = await server.ConnectAsync();
        await connection.SendAsync(Get("/n/first") + Get("/wait") + Get("/n/last"));

        var first = await connection.ReadResponseAsync(timeout: TimeSpan.FromSeconds(10));
        Assert.Equal("first", first.BodyText);
        Assert.False(release.Task.IsCompleted); // it came while the second handler was still waiting
        release.SetResult();
        Assert.Equal("waited", (await connection.ReadResponseAsync()).BodyText);
        Assert.Equal("last", (await connection.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task Requests_with_bodies_in_a_batch_are_read_and_answered_in_order()
    {
        await using var server = await StartAsync(TestServer.Zone("/echo", async c =>
        {
            using var reader = new StreamReader(c.Request.Body!);
            return ZoneResult.Respond(ZoneResponse.Text("echo:" + await reader.ReadToEndAsync()));
        }));
        await using var connection = await server.ConnectAsync();
        await connection.SendAsync(Get("/n/a")
            + "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"
            + "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
            + "POST /n/unread HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nxyz"
            + Get("/n/z"));
        foreach (var expected in new[] { "a", "echo:hello", "echo:abc", "unread", "z" })
            Assert.Equal(expected, (await connection.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task A_bad_request_in_a_batch_gets_its_400_after_the_answers_before_it_and_the_connection_closes()
    {
        await using var server = await StartAsync();
        await using var connection = await server.ConnectAsync();
        await connection.SendAsync(Get("/n/1") + Get("/n/2") + "GET /n/3 HTTP/1.1\r\nHost: t\r\nBad Header: x\r\n\r\n" + Get("/n/4"));
        Assert.Equal("1", (await connection.ReadResponseAsync()).BodyText);
        Assert.Equal("2", (await connection.ReadResponseAsync()).BodyText);
        Assert.Equal(400, (await connection.ReadResponseAsync()).Status);
        Assert.True(await connection.WaitForCloseAsync());
    }

    [Fact]
    public async Task A_take_over_behind_pipelined_requests_starts_after_their_answers()
    {
        await using var server = await StartAsync(TestServer.Zone("/raw", _ => ZoneResult.TakeOver(async t =>
        {
            await t.WriteResponseHeadAsync(101, new HttpHeaders { { "Upgrade", "echo" }, { "Connection", "Upgrade" } });
            await t.Stream.WriteAsync("taken"u8.ToArray());
        })));
        await using var connection = await server.ConnectAsync();
        await connection.SendAsync(Get("/n/1") + Get("/n/2") + "GET /raw HTTP/1.1\r\nHost: t\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n");
        Assert.Equal("1", (await connection.ReadResponseAsync()).BodyText);
        Assert.Equal("2", (await connection.ReadResponseAsync()).BodyText);
        Assert.Equal(101, (await connection.ReadResponseAsync(head: true)).Status);
        var rest = await connection.ReadToEndAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.Equal("taken", Encoding.ASCII.GetString(rest));
    }

    // A handler that notes how many answer bytes the client's socket holds when it runs: none
    // means nothing of the batch has been sent yet. (Loopback: a send is in the peer's receive
    // queue when it returns.) The client reads nothing until then.
    private static Zone Probe(RawConnection?[] client, TaskCompletionSource<int> seen) => TestServer.Zone("/probe", c =>
    {
        seen.TrySetResult(client[0]!.Socket.Available);
        return ZoneResult.Respond(ZoneResponse.Text("probed"));
    });

    [Fact]
    public async Task A_batch_larger_than_one_read_of_the_socket_still_leaves_in_one_write()
    {
        // Twelve heads of about 1 KiB, as a browser's are: the server reads them 4 KiB at a time,
        // and each read but the last ends inside a head.
        var client = new RawConnection?[1];
        var seen = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartAsync(Probe(client, seen));
        await using var connection = client[0] = await server.ConnectAsync();
        var padding = new string('p', 1000);
        var batch = string.Concat(Enumerable.Range(1, 11).Select(i => $"GET /n/{i:D2} HTTP/1.1\r\nHost: t\r\nX-Padding: {padding}\r\n\r\n"))
            + $"GET /probe HTTP/1.1\r\nHost: t\r\nX-Padding: {padding}\r\n\r\n";
        Assert.True(batch.Length > 3 * 4096);
        await connection.SendAsync(batch);
        Assert.Equal(0, await seen.Task.WaitAsync(TimeSpan.FromSeconds(10))); // the eleven answers before it were still in the server's buffer

        for (var i = 1; i <= 11; i++) Assert.Equal($"{i:D2}", (await connection.ReadResponseAsync()).BodyText);
        Assert.Equal("probed", (await connection.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task A_batch_goes_out_once_it_holds_64_KiB_without_waiting_for_the_rest()
    {
        var client = new RawConnection?[1];
        var seen = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var large = new string('x', 33 * 1024); // two make a full batch (66 KiB), three do not fit one
        await using var server = await StartAsync(
            TestServer.Zone("/large", _ => ZoneResult.Respond(ZoneResponse.Text(large))), Probe(client, seen));
        await using var connection = client[0] = await server.ConnectAsync();
        // Small heads, all in one read: only the size of their answers can end the batch early.
        await connection.SendAsync(string.Concat(Enumerable.Repeat(Get("/large"), 3)) + Get("/probe"));

        // 66 KiB after the second answer: those two were sent before the third and the probe ran
        // (all of the batch would be 99 KiB, and the client reads nothing until the probe has run).
        var arrived = await seen.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(arrived >= 2 * large.Length && arrived < 3 * large.Length, $"{arrived} bytes had arrived when the last request was served");
        for (var i = 0; i < 3; i++) Assert.Equal(large.Length, (await connection.ReadResponseAsync()).BodyText.Length);
        Assert.Equal("probed", (await connection.ReadResponseAsync()).BodyText);
    }
}
