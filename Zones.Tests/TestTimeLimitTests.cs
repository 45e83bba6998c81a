using System.Reflection;

namespace Zones.Tests;

public sealed class TestTimeLimitTests
{
    /// <summary>A test written with xunit's own attribute, or in a namespace outside Zones.Tests, would run without a limit.</summary>
    [Fact]
    public void Every_test_in_the_project_has_a_time_limit()
    {
        var tests = typeof(TestTimeLimit).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<Xunit.FactAttribute>()))
            .Where(t => t.Attribute is not null)
            .ToList();
        Assert.Contains(tests, t => t.Method.Name == nameof(Every_test_in_the_project_has_a_time_limit)); // the scan sees tests at all
        var unlimited = tests.Where(t => t.Attribute!.Timeout <= 0).Select(t => $"{t.Method.DeclaringType}.{t.Method.Name}");
        Assert.Empty(unlimited);
    }
}
