using System.Reflection;

namespace Zones.Tests.Architecture;

/// <summary>
/// A folder is a namespace, and folders depend one way: each namespace may use those listed
/// before it and never one after it. The order is the README's layout picture.
/// </summary>
public sealed class FolderDependencyTests
{
    // Zones.Core, bottom to top: bytes; ACME; TLS; request data; the handler API; running zones; the server; configuration.
    public static readonly string[] CoreLayers = ["Zones.Http", "Zones.Acme", "Zones.Tls", "Zones.RequestData", "Zones", "Zones.Pipeline", "Zones.Server", "Zones.Hosting"];

    // Zones.Handlers, bottom to top: the guards (they need only Core), helpers for files, then the handler families, then the simple handlers and the registry.
    public static readonly string[] HandlerLayers = ["Zones.Handlers.Guards", "Zones.Handlers.Static", "Zones.Handlers.Templates", "Zones.Handlers.Feeds", "Zones.Handlers.WebSockets", "Zones.Handlers"];

    [Fact]
    public void Zones_Core_folders_depend_only_on_folders_below_them() =>
        AssertLayered(typeof(ZoneResponse).Assembly, CoreLayers);

    [Fact]
    public void Zones_Handlers_folders_depend_only_on_folders_below_them() =>
        AssertLayered(typeof(Zones.Handlers.BuiltInHandlers).Assembly, HandlerLayers);

    [Fact]
    public void Every_namespace_of_the_assemblies_has_its_place_in_the_order()
    {
        var core = Namespaces(typeof(ZoneResponse).Assembly);
        var handlers = Namespaces(typeof(Zones.Handlers.BuiltInHandlers).Assembly);
        Assert.Equal(CoreLayers.Order(), core.Order());
        Assert.Equal(HandlerLayers.Order(), handlers.Order());
    }

    [Fact]
    public void Zones_Redis_is_one_folder_and_namespace_that_only_programs_scaling_out_reference()
    {
        Assert.Equal(["Zones.Redis"], Namespaces(typeof(Zones.Redis.RedisFeeds).Assembly));
        // Handlers know the backend only through IFeeds and IWebSocketBackplane, and the Zones.Hosting package does not bring it.
        foreach (var assembly in new[] { typeof(Zones.Handlers.BuiltInHandlers).Assembly, typeof(Zones.Hosting.ZonesHost).Assembly })
            Assert.DoesNotContain(assembly.GetReferencedAssemblies(), a => a.Name is "Zones.Redis" or "StackExchange.Redis");
    }

    [Fact]
    public void The_check_sees_a_reference_made_only_inside_a_method_body()
    {
        // RootPath uses nothing but the BCL; HttpConnection (Server) reaches Pipeline only from
        // inside its methods (ZonePipeline.RunAsync): both must be seen as they are.
        var connection = typeof(Zones.Server.HttpConnection);
        var server = connection.Assembly.GetTypes().Where(t => TypeReferences.Owner(t) == connection)
            .SelectMany(TypeReferences.Of).Select(t => t.Namespace).ToHashSet();
        Assert.Contains("Zones.Pipeline", server);
        Assert.Contains("Zones.Http", server);
        Assert.DoesNotContain(TypeReferences.Of(typeof(RootPath)), t => t != typeof(RootPath) && t.Namespace?.StartsWith("Zones", StringComparison.Ordinal) == true);
    }

    private static IEnumerable<string> Namespaces(Assembly assembly) =>
        assembly.GetTypes().Select(TypeReferences.Owner).Select(t => t.Namespace).OfType<string>()
            .Where(n => n.StartsWith("Zones", StringComparison.Ordinal)).Distinct();

    private static void AssertLayered(Assembly assembly, string[] layers)
    {
        var violations = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in assembly.GetTypes())
        {
            var owner = TypeReferences.Owner(type);
            var from = Array.IndexOf(layers, owner.Namespace);
            if (from < 0) continue; // generated code outside the project's namespaces
            foreach (var used in TypeReferences.Of(type))
            {
                if (used.Assembly != assembly) continue;
                var usedOwner = TypeReferences.Owner(used);
                var to = Array.IndexOf(layers, usedOwner.Namespace);
                if (to > from) violations.Add($"{owner.FullName} ({owner.Namespace}) uses {usedOwner.FullName} ({usedOwner.Namespace}), a folder above it");
            }
        }
        Assert.True(violations.Count == 0, "Folders must depend one way (" + string.Join(" < ", layers) + "):\n" + string.Join("\n", violations));
    }
}
