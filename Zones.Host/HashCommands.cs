using System.Text;
using Zones.Handlers.Guards;

namespace Zones.Host;

/// <summary>
/// The program's two verbs for guard zones, run before any host is built:
/// <c>hash-password</c> prints a basicauth password hash, <c>hash-token</c> a bearer token hash
/// (and, given no token, a new random one). At a terminal the secret is read without echo (the
/// password twice); from a pipe one line is read, so scripts and tests can drive them. Only the
/// result goes to standard output; prompts and explanations go to standard error.
/// </summary>
public static class HashCommands
{
    /// <summary>Runs a verb and returns its exit code, or null when <paramref name="args"/> names none (serve as usual).</summary>
    public static int? Run(string[] args, TextReader input, TextWriter output, TextWriter error, bool terminal) =>
        args.FirstOrDefault() switch
        {
            "hash-password" => HashPassword(input, output, error, terminal),
            "hash-token" => HashToken(input, output, error, terminal),
            _ => null,
        };

    private static int HashPassword(TextReader input, TextWriter output, TextWriter error, bool terminal)
    {
        var password = Read("Password: ", input, error, terminal);
        if (string.IsNullOrEmpty(password))
        {
            error.WriteLine("zones: hash-password: no password given (type one, or pipe one line in)");
            return 1;
        }
        if (terminal && Read("Again: ", input, error, terminal) != password)
        {
            error.WriteLine("zones: hash-password: the two passwords differ; nothing was printed");
            return 1;
        }
        output.WriteLine(PasswordHash.Create(password).ToString());
        error.WriteLine("Put it in zones.json: \"Users\": { \"NAME\": \"<the line above>\" }");
        return 0;
    }

    private static int HashToken(TextReader input, TextWriter output, TextWriter error, bool terminal)
    {
        var token = Read("Token (Enter for a new random one): ", input, error, terminal);
        if (string.IsNullOrEmpty(token))
        {
            token = TokenHash.NewToken();
            output.WriteLine(token);
            error.WriteLine("The new token is the line above: give it to the client; it is not stored anywhere.");
        }
        output.WriteLine(TokenHash.Of(token));
        error.WriteLine("Put the sha256: line in zones.json: \"Tokens\": { \"NAME\": \"sha256:…\" }");
        return 0;
    }

    /// <summary>A line from a pipe, or typed at the terminal without echo.</summary>
    private static string? Read(string prompt, TextReader input, TextWriter error, bool terminal)
    {
        if (!terminal) return input.ReadLine();
        error.Write(prompt);
        var typed = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace) { if (typed.Length > 0) typed.Length--; }
            else if (!char.IsControl(key.KeyChar)) typed.Append(key.KeyChar);
        }
        error.WriteLine();
        return typed.ToString();
    }
}
