using System.Diagnostics;
using Zones.Handlers.Guards;
using Zones.Host;

namespace Zones.Tests.Guards;

/// <summary>`hash-password` and `hash-token`, in-process and as the real program reading a pipe.</summary>
public sealed class HashCommandTests
{
    private static (int? Exit, string Output, string Error) Run(string verb, string input)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = HashCommands.Run([verb], new StringReader(input), output, error, terminal: false);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void Hash_password_prints_a_hash_of_the_line_it_reads_and_refuses_an_empty_one()
    {
        var (exit, output, error) = Run("hash-password", "p4ss wörd\n");
        Assert.Equal(0, exit);
        Assert.True(PasswordHash.TryParse(output.Trim(), out var hash, out _));
        Assert.True(hash.Verify(System.Text.Encoding.UTF8.GetBytes("p4ss wörd")));
        Assert.Contains("\"Users\"", error);
        Assert.Equal(1, Run("hash-password", "").Exit);
        Assert.Null(HashCommands.Run(["--urls", "http://x"], TextReader.Null, TextWriter.Null, TextWriter.Null, terminal: false));
    }

    [Fact]
    public void Hash_token_prints_the_hash_of_a_given_token_or_a_new_token_and_its_hash()
    {
        var (exit, output, _) = Run("hash-token", "my-token\n");
        Assert.Equal(0, exit);
        Assert.Equal(TokenHash.Of("my-token"), output.Trim());
        var (_, made, error) = Run("hash-token", "\n");
        var lines = made.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", lines[0]);
        Assert.Equal(TokenHash.Of(lines[0]), lines[1]);
        Assert.Contains("not stored", error);
    }

    [Fact]
    public async Task The_program_runs_hash_password_from_a_pipe_without_starting_a_server()
    {
        var start = new ProcessStartInfo("dotnet", ["exec", Path.Combine(AppContext.BaseDirectory, "Zones.Host.dll"), "hash-password"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteLineAsync("from a pipe");
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        Assert.True(PasswordHash.TryParse(output.Trim(), out var hash, out _));
        Assert.True(hash.Verify("from a pipe"u8));
    }
}
