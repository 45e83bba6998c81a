using System.Text;

namespace Zones.Testing;

/// <summary>
/// A take-over running in memory: <see cref="Client"/> is the client's end of the connection
/// (read the handler's head and protocol bytes, write the client's), <see cref="Completion"/>
/// ends when the handler returns. Disposing ends the client's side, as a client closing does.
/// </summary>
public sealed class ZoneTestTakeOver : IAsyncDisposable
{
    private readonly TestConnection _connection;

    internal ZoneTestTakeOver(Stream client, Task<TakeOverEnd> completion, TestConnection connection)
    {
        Client = client;
        Completion = completion;
        _connection = connection;
    }

    /// <summary>The client's end: what the handler writes arrives here, what the test writes reaches the handler's stream.</summary>
    public Stream Client { get; }

    /// <summary>The handler's return: Close, or ContinueHttp when it hands the connection back.</summary>
    public Task<TakeOverEnd> Completion { get; }

    /// <summary>Reads the response head the handler wrote (up to and including the blank line).</summary>
    public async Task<string> ReadHeadAsync(CancellationToken cancellationToken = default)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await Client.ReadAsync(one, cancellationToken) == 0) throw new EndOfStreamException($"The take-over ended after {head.Length} bytes of its head: {head}");
            head.Append((char)one[0]);
        }
        return head.ToString();
    }

    /// <summary>Cuts the connection, as a server abort does: the handler's tokens are cancelled and its stream ends.</summary>
    public void Abort() => _connection.Abort();

    /// <summary>Closes the client's end of the duplex stream: the handler reads the end of its input.</summary>
    public async ValueTask DisposeAsync() => await Client.DisposeAsync();
}
