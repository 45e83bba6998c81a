namespace Zones;

/// <summary>The service provider of a server or context built without one: it knows no services.</summary>
internal sealed class NoServices : IServiceProvider
{
    public static readonly NoServices Instance = new();

    public object? GetService(Type serviceType) => null;
}
