using System.Runtime.CompilerServices;

namespace Zones.Tests;

/// <summary>
/// Every test gets a time limit, so a hang fails that one test within a minute instead of
/// holding the whole run (xunit v3 has no assembly-wide default, only the Timeout of each
/// attribute). These two classes take the place of xunit's: every test file lives in a
/// namespace under Zones.Tests, and C# looks there before the global <c>using Xunit</c>, so a
/// plain <c>[Fact]</c> or <c>[Theory]</c> in this project is one of these. A test that needs
/// longer says so: <c>[Fact(Timeout = …)]</c>.
/// </summary>
public static class TestTimeLimit
{
    /// <summary>Generous for the slowest integration test on a loaded two-core machine (a few seconds), short for a hang.</summary>
    public const int Milliseconds = 60_000;
}

/// <inheritdoc cref="TestTimeLimit"/>
public sealed class FactAttribute : Xunit.FactAttribute
{
    public FactAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber) => Timeout = TestTimeLimit.Milliseconds;
}

/// <inheritdoc cref="TestTimeLimit"/>
public sealed class TheoryAttribute : Xunit.TheoryAttribute
{
    public TheoryAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber) => Timeout = TestTimeLimit.Milliseconds;
}
