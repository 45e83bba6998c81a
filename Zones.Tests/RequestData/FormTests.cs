using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Zones.Tests.Infrastructure;
using Zones.RequestData;

namespace Zones.Tests.RequestData;

/// <summary>Form bodies through a real server: urlencoded, multipart with files in memory and on disk, limits and bad input.</summary>
public sealed class FormTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("zones-form-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private FormLimits Limits(Func<FormLimits, FormLimits>? change = null)
    {
        var limits = new FormLimits { TempFolder = _temp, MemoryThreshold = 1024 };
        return change is null ? limits : change(limits);
    }

    /// <summary>A server whose one zone reads the form and describes it: fields, then each file with its size, where it sits and its hash.</summary>
    private Task<TestServer> StartEchoAsync(FormLimits limits, Action<RequestForm>? inspect = null) =>
        TestServer.StartAsync(TestServer.Zone("/", async c =>
        {
            var form = await c.Request.ReadFormAsync(limits);
            inspect?.Invoke(form);
            var text = new StringBuilder();
            foreach (var (name, value) in form.Fields) text.Append(name).Append('=').Append(value.Replace("\r", "\\r").Replace("\n", "\\n")).Append('\n');
            foreach (var file in form.Files)
            {
                await using var stream = file.OpenReadStream();
                var hash = Convert.ToHexString(await SHA256.HashDataAsync(stream));
                text.Append($"file {file.Name} {file.FileName} {file.ContentType} {file.Length} {(file.TempFilePath is null ? "memory" : "disk")} {hash}\n");
            }
            return ZoneResult.Respond(ZoneResponse.Text(text.ToString()));
        }));

    [Fact]
    public async Task An_urlencoded_form_is_decoded_with_repeats_kept()
    {
        await using var server = await StartEchoAsync(Limits());
        using var client = server.CreateClient();
        using var response = await client.PostAsync("/", new FormUrlEncodedContent([
            new("name", "Ada Lovelace"), new("tag", "a&b"), new("tag", "ünï"), new("empty", ""),
        ]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("name=Ada Lovelace\ntag=a&b\ntag=ünï\nempty=\n", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    public async Task An_urlencoded_form_arriving_in_pieces_is_decoded_the_same(int pieceSize)
    {
        // Fields and separators fall across the reads: a long field spans many, '&' lands at a piece's edge.
        var body = "a=1&bb=22&long=" + new string('x', 5000) + "&tail=%C3%BC+end";
        await using var server = await StartEchoAsync(Limits());
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync($"POST / HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {body.Length}\r\n\r\n");
        var bytes = Encoding.ASCII.GetBytes(body);
        for (var offset = 0; offset < bytes.Length; offset += pieceSize)
        {
            await conn.SendAsync(bytes[offset..Math.Min(bytes.Length, offset + pieceSize)]);
            if (pieceSize > 1 || offset % 500 == 0) await Task.Delay(1); // let the server read what came so far
        }
        var response = await conn.ReadResponseAsync();
        Assert.Equal(200, response.Status);
        Assert.Equal("a=1\nbb=22\nlong=" + new string('x', 5000) + "\ntail=ü end\n", response.BodyText);
    }

    [Fact]
    public async Task A_multipart_form_gives_fields_and_files_small_ones_in_memory_large_ones_on_disk()
    {
        var small = Encoding.UTF8.GetBytes("hello file");
        var large = RandomNumberGenerator.GetBytes(100_000);
        await using var server = await StartEchoAsync(Limits());
        using var client = server.CreateClient();
        using var content = new MultipartFormDataContent("----zones-boundary")
        {
            { new StringContent("Grace Hopper"), "name" },
            { new StringContent("line 1\r\nline 2"), "note" },
            { new ByteArrayContent(small) { Headers = { ContentType = new MediaTypeHeaderValue("text/plain") } }, "doc", "small.txt" },
            { new ByteArrayContent(large), "blob", "large.bin" },
        };
        using var response = await client.PostAsync("/", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("name=Grace Hopper", lines[0]);
        Assert.Equal("note=line 1\\r\\nline 2", lines[1]);
        Assert.Equal($"file doc small.txt text/plain {small.Length} memory {Convert.ToHexString(SHA256.HashData(small))}", lines[2]);
        Assert.Equal($"file blob large.bin application/octet-stream {large.Length} disk {Convert.ToHexString(SHA256.HashData(large))}", lines[3]);
        await WaitForEmptyTempFolderAsync();
    }

    [Fact]
    public async Task A_multipart_body_from_a_browser_with_preamble_padding_and_a_utf8_filename_parses()
    {
        await using var server = await StartEchoAsync(Limits());
        await using var conn = await server.ConnectAsync();
        var good = "This is the preamble.\r\n--XyZ  \r\n"
            + "Content-Disposition: form-data; name=\"title\"\r\n\r\nA \"quoted\" title\r\n"
            + "--XyZ\r\nContent-Disposition: form-data; name=\"up\"; filename=\"r\\\"esumé.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt\r\n"
            + "Content-Type: text/plain\r\n\r\ncontent--XyZ-not-a-boundary\r\n"
            + "--XyZ--\r\nepilogue";
        var bytes = Encoding.UTF8.GetBytes(good);
        await conn.SendAsync(Encoding.UTF8.GetBytes($"POST / HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; boundary=\"XyZ\"\r\nContent-Length: {bytes.Length}\r\n\r\n").Concat(bytes).ToArray());
        var response = await conn.ReadResponseAsync();
        Assert.Equal(200, response.Status);
        var lines = response.BodyText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("title=A \"quoted\" title", lines[0]);
        Assert.StartsWith("file up résumé.txt text/plain 27 memory", lines[1]);
    }

    [Fact]
    public async Task A_chunked_multipart_upload_is_read_as_it_streams()
    {
        var data = RandomNumberGenerator.GetBytes(300_000);
        await using var server = await StartEchoAsync(Limits());
        using var client = server.CreateClient();
        using var content = new MultipartFormDataContent { { new StreamContent(new UnknownLengthStream(new MemoryStream(data))), "f", "f.bin" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"{data.Length} disk {Convert.ToHexString(SHA256.HashData(data))}", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("a=1&b=2&c=3", 413, "more than 2 fields")]
    [InlineData("a=0123456789012345678901234567890123456789", 413, "larger than 32 bytes")]
    public async Task Urlencoded_limits_answer_413_with_the_reason(string body, int status, string reason)
    {
        await using var server = await StartEchoAsync(Limits(l => new FormLimits { MaxFields = 2, MaxFieldSize = 32, TempFolder = _temp }));
        var response = await PostRawAsync(server, "application/x-www-form-urlencoded", Encoding.ASCII.GetBytes(body));
        Assert.Equal(status, response.Status);
        Assert.Contains(reason, response.BodyText);
    }

    [Fact]
    public async Task An_upload_over_the_file_limit_is_refused_with_413_and_leaves_no_temporary_file()
    {
        await using var server = await StartEchoAsync(new FormLimits { MaxFileSize = 50_000, MemoryThreshold = 1024, TempFolder = _temp });
        using var client = server.CreateClient();
        using var content = new MultipartFormDataContent { { new ByteArrayContent(new byte[200_000]), "f", "big.bin" } };
        using var response = await client.PostAsync("/", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("larger than 50000 bytes", await response.Content.ReadAsStringAsync());
        await WaitForEmptyTempFolderAsync();
    }

    [Fact]
    public async Task A_413_sent_while_the_upload_is_still_arriving_lets_the_client_finish_sending()
    {
        // The server refuses after 50 kB and will close. Closing a socket with request bytes
        // unread makes the kernel reset the connection, and a client still writing its upload
        // then fails with a broken pipe instead of reading the 413 (HttpClient did, about once in
        // 400 uploads); the server must half-close and drain what still comes.
        await using var server = await StartEchoAsync(new FormLimits { MaxFileSize = 50_000, MemoryThreshold = 1024, TempFolder = _temp });
        var body = Encoding.ASCII.GetBytes("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"big.bin\"\r\n\r\n")
            .Concat(new byte[400_000]).Concat(Encoding.ASCII.GetBytes("\r\n--b--\r\n")).ToArray();
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync([.. Encoding.ASCII.GetBytes($"POST / HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: {body.Length}\r\n\r\n"), .. body[..100_000]]);
        var response = await conn.ReadResponseAsync();
        Assert.Equal(413, response.Status);
        Assert.Contains("larger than 50000 bytes", response.BodyText);
        Assert.Equal("close", response.Headers["Connection"]);

        // The server's FIN: it is done sending. The rest of the upload comes after it, and every
        // piece must still be taken (a closed socket would answer with a reset: a broken pipe here).
        Assert.True(await conn.WaitForCloseAsync(), "the server did not close its side after the 413");
        for (var offset = 100_000; offset < body.Length; offset += 50_000)
            await conn.SendAsync(body[offset..Math.Min(body.Length, offset + 50_000)]);
        conn.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        await WaitForEmptyTempFolderAsync();
    }

    [Fact]
    public async Task Too_many_parts_and_oversized_part_headers_are_413()
    {
        await using var server = await StartEchoAsync(new FormLimits { MaxFields = 2, MaxPartHeaderSize = 200, TempFolder = _temp });
        var three = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n2\r\n"
            + "--b\r\nContent-Disposition: form-data; name=\"c\"\r\n\r\n3\r\n--b--\r\n";
        var response = await PostRawAsync(server, "multipart/form-data; boundary=b", Encoding.ASCII.GetBytes(three));
        Assert.Equal(413, response.Status);
        Assert.Contains("more than 2 fields", response.BodyText);

        var bigHeaders = $"--b\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Pad: {new string('x', 300)}\r\n\r\n1\r\n--b--\r\n";
        response = await PostRawAsync(server, "multipart/form-data; boundary=b", Encoding.ASCII.GetBytes(bigHeaders));
        Assert.Equal(413, response.Status);
        Assert.Contains("headers are larger than 200 bytes", response.BodyText);
    }

    [Theory]
    [InlineData("multipart/form-data", "--b--\r\n", 400, "no valid boundary")]
    [InlineData("multipart/form-data; boundary=b", "no boundary anywhere", 400, "no boundary line")]
    [InlineData("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated", 400, "ended inside a part")]
    [InlineData("multipart/form-data; boundary=b", "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--", 400, "Content-Disposition")]
    [InlineData("multipart/form-data; boundary=b", "--bXX\r\n", 400, "not followed by a line break")]
    [InlineData("multipart/form-data; boundary=b", "--b\r\nno colon here\r\n\r\nx\r\n--b--", 400, "malformed header")]
    [InlineData("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b", 400, "closing boundary")]
    [InlineData("application/json", "{}", 415, "Expected a form")]
    public async Task Malformed_forms_are_answered_with_the_reason(string contentType, string body, int status, string reason)
    {
        await using var server = await StartEchoAsync(Limits());
        var response = await PostRawAsync(server, contentType, Encoding.ASCII.GetBytes(body));
        Assert.Equal(status, response.Status);
        Assert.Contains(reason, response.BodyText);
        Assert.Equal("close", response.Headers["Connection"]);
    }

    [Fact]
    public async Task Reading_the_form_twice_returns_the_same_form_and_a_get_has_an_empty_one()
    {
        RequestForm? first = null, second = null;
        await using var server = await TestServer.StartAsync(TestServer.Zone("/", async c =>
        {
            first = await c.Request.ReadFormAsync();
            second = await c.Request.ReadFormAsync();
            return ZoneResult.Respond(ZoneResponse.Text($"{first.Fields.Count} {c.Request.HasFormContentType}"));
        }));
        using var client = server.CreateClient();
        Assert.Equal("0 False", await client.GetStringAsync("/"));
        Assert.Same(first, second);
        using var posted = await client.PostAsync("/", new FormUrlEncodedContent([new("a", "1")]));
        Assert.Equal("1 True", await posted.Content.ReadAsStringAsync());
        Assert.Same(first, second);
    }

    [Fact]
    public async Task Registered_disposables_run_when_the_request_ends_even_after_a_take_over()
    {
        var disposed = new TaskCompletionSource();
        await using var server = await TestServer.StartAsync(TestServer.Zone("/", c =>
        {
            c.Request.RegisterForDispose(new Disposable(() => disposed.TrySetResult()));
            return ZoneResult.TakeOver(async t => await t.WriteResponseHeadAsync(200));
        }));
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
        await disposed.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task<RawResponse> PostRawAsync(TestServer server, string contentType, byte[] body)
    {
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync(Encoding.ASCII.GetBytes($"POST / HTTP/1.1\r\nHost: t\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\n\r\n").Concat(body).ToArray());
        return await conn.ReadResponseAsync();
    }

    private async Task WaitForEmptyTempFolderAsync()
    {
        // Temporary files are deleted after the response is flushed, so the client may be a moment ahead.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Directory.EnumerateFileSystemEntries(_temp).Any())
        {
            Assert.True(DateTime.UtcNow < deadline, "temporary upload files were left: " + string.Join(", ", Directory.EnumerateFileSystemEntries(_temp)));
            await Task.Delay(20);
        }
    }

    private sealed class Disposable(Action action) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            action();
            return default;
        }
    }
}

/// <summary>Hides a stream's length so HttpClient has to send it chunked.</summary>
internal sealed class UnknownLengthStream(Stream inner) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
