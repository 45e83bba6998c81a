using System.Collections;
using System.Reflection;
using System.Text;

namespace Zones.Tests.Aot;

/// <summary>
/// The closed generic types (and the arrays behind IEnumerable&lt;T&gt;) a started host's service
/// provider resolved, read from its call-site cache, and the rd.xml that names them for the
/// native AOT compiler. Natively compiled, the provider makes each such type at run time from a
/// template (ILogger&lt;T&gt; → Logger&lt;T&gt;, IOptions&lt;T&gt; → its factory, cache, monitor, the
/// arrays of its configure actions…): two hundred of them cost a third of Zones' start. Named in
/// rd.xml, the compiler builds them ahead and the start only looks them up.
/// </summary>
internal static class StartupTypes
{
    private const BindingFlags Members = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    /// <summary>Every constructed generic or array type in the call sites the provider has built so far.</summary>
    /// <remarks>
    /// DI keeps no public list of them: this reads its internal call-site cache (the "CallSiteFactory"
    /// property and its "_callSiteCache" field, as in Microsoft.Extensions.DependencyInjection 10) and
    /// throws, naming what is missing, when a later version moves them.
    /// </remarks>
    public static IReadOnlySet<Type> ResolvedBy(IServiceProvider provider)
    {
        var factory = provider.GetType().GetProperty("CallSiteFactory", Members)?.GetValue(provider)
            ?? throw new InvalidOperationException($"{provider.GetType()} has no CallSiteFactory property: the DI version changed; read its call-site cache anew");
        var cache = factory.GetType().GetField("_callSiteCache", Members)?.GetValue(factory) as IDictionary
            ?? throw new InvalidOperationException($"{factory.GetType()} has no _callSiteCache field: the DI version changed; read its call-site cache anew");
        var types = new HashSet<Type>();
        foreach (DictionaryEntry entry in cache)
            if (entry.Value is { } callSite) Collect(callSite, types);
        return types;
    }

    private static void Collect(object callSite, HashSet<Type> types)
    {
        var type = callSite.GetType();
        foreach (var name in (string[])["ServiceType", "ImplementationType", "ItemType"])
            if (type.GetProperty(name, Members)?.GetValue(callSite) is Type { IsConstructedGenericType: true } or Type { IsArray: true })
                types.Add((Type)type.GetProperty(name, Members)!.GetValue(callSite)!);
        foreach (var name in (string[])["ParameterCallSites", "ServiceCallSites"])
            if (type.GetProperty(name, Members)?.GetValue(callSite) is Array children)
                foreach (var child in children)
                    if (child is not null) Collect(child, types);
    }

    /// <summary>
    /// An rd.xml naming <paramref name="types"/> (IEnumerable&lt;T&gt; itself left out: the provider
    /// makes a T[]), grouped by the assembly that defines each generic type, sorted, so the file
    /// changes only when the set does.
    /// </summary>
    public static string RdXml(IEnumerable<Type> types, string why)
    {
        var byAssembly = types
            .Where(t => !IsEnumerable(t))
            .Select(t => (Assembly: Definition(t).Assembly.GetName().Name!, Name: RdName(t)))
            .Distinct()
            .GroupBy(t => t.Assembly)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        var xml = new StringBuilder();
        // (An XML comment cannot hold "--".)
        xml.Append("<!--\n").Append(why.Replace("--", "- -", StringComparison.Ordinal)).Append("\n-->\n");
        xml.Append("<Directives xmlns=\"http://schemas.microsoft.com/netfx/2013/01/metadata\">\n  <Application>\n");
        foreach (var assembly in byAssembly)
        {
            xml.Append("    <Assembly Name=\"").Append(assembly.Key).Append("\">\n");
            foreach (var name in assembly.Select(t => t.Name).Order(StringComparer.Ordinal))
                xml.Append("      <Type Name=\"").Append(name).Append("\" Dynamic=\"Required All\" />\n");
            xml.Append("    </Assembly>\n");
        }
        xml.Append("  </Application>\n</Directives>\n");
        return xml.ToString();
    }

    /// <summary>The assemblies the type's name mentions: its definition's and every type argument's.</summary>
    public static IEnumerable<Assembly> AssembliesOf(Type type)
    {
        if (type.IsArray) return AssembliesOf(type.GetElementType()!);
        if (!type.IsConstructedGenericType) return [type.Assembly];
        return type.GenericTypeArguments.SelectMany(AssembliesOf).Prepend(type.Assembly);
    }

    private static bool IsEnumerable(Type type) =>
        type.IsConstructedGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>);

    private static Type Definition(Type type) => type.IsArray ? Definition(type.GetElementType()!) : type;

    // rd.xml's form: Namespace.Type`1[[Argument,Assembly]], and [] for an array.
    private static string RdName(Type type)
    {
        if (type.IsArray) return RdName(type.GetElementType()!) + "[]";
        if (!type.IsConstructedGenericType) return type.FullName!;
        var arguments = type.GenericTypeArguments.Select(a => $"[{RdName(a)},{a.Assembly.GetName().Name}]");
        return $"{type.GetGenericTypeDefinition().FullName}[{string.Join(",", arguments)}]";
    }
}
