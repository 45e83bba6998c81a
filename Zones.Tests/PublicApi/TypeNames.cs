using System.Reflection;

namespace Zones.Tests.PublicApi;

/// <summary>Type names as C# writes them: keywords for the built-in types, namespaces in full, generics with their arguments, nullability from the declaration.</summary>
public static class TypeNames
{
    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(void)] = "void", [typeof(object)] = "object", [typeof(string)] = "string", [typeof(bool)] = "bool",
        [typeof(byte)] = "byte", [typeof(sbyte)] = "sbyte", [typeof(char)] = "char", [typeof(short)] = "short",
        [typeof(ushort)] = "ushort", [typeof(int)] = "int", [typeof(uint)] = "uint", [typeof(long)] = "long",
        [typeof(ulong)] = "ulong", [typeof(float)] = "float", [typeof(double)] = "double", [typeof(decimal)] = "decimal",
        [typeof(nint)] = "nint", [typeof(nuint)] = "nuint",
    };

    /// <summary>The name a type is declared with: namespace, enclosing types, and its generic parameters.</summary>
    public static string Declared(Type type)
    {
        var outer = type.IsNested ? Declared(type.DeclaringType!) : type.Namespace;
        var own = Plain(type);
        // A nested type's own generic parameters are those its enclosing type does not have.
        var inherited = type.IsNested ? type.DeclaringType!.GetGenericArguments().Length : 0;
        var parameters = type.GetGenericArguments().Skip(inherited).Select(a => a.Name).ToList();
        var generic = parameters.Count > 0 ? $"<{string.Join(", ", parameters)}>" : "";
        return string.IsNullOrEmpty(outer) ? own + generic : $"{outer}.{own}{generic}";
    }

    /// <summary>The type's own name, without its generic arity.</summary>
    public static string Plain(Type type)
    {
        var tick = type.Name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? type.Name : type.Name[..tick];
    }

    /// <summary>A type as it is used in a signature; <paramref name="nullability"/> adds the <c>?</c> of reference types (and of their arguments).</summary>
    public static string Of(Type type, NullabilityInfo? nullability = null)
    {
        var mark = nullability?.ReadState == NullabilityState.Nullable && !type.IsValueType ? "?" : "";
        if (type.IsByRef) return Of(type.GetElementType()!, nullability);
        if (type.IsGenericParameter) return type.Name + mark;
        if (Nullable.GetUnderlyingType(type) is { } inner) return Of(inner) + "?";
        if (type.IsArray)
        {
            var rank = new string(',', type.GetArrayRank() - 1);
            return $"{Of(type.GetElementType()!, nullability?.ElementType)}[{rank}]{mark}";
        }
        if (type.IsPointer) return Of(type.GetElementType()!) + "*";
        if (Keywords.TryGetValue(type, out var keyword)) return keyword + mark;
        if (!type.IsGenericType) return Declared(type) + mark;

        var arguments = type.GetGenericArguments();
        var argumentNullability = nullability?.GenericTypeArguments;
        var written = arguments.Select((a, i) => Of(a, argumentNullability is { Length: > 0 } n && i < n.Length ? n[i] : null)).ToList();
        if (type.FullName?.StartsWith("System.ValueTuple`", StringComparison.Ordinal) == true || type.Name.StartsWith("ValueTuple`", StringComparison.Ordinal))
            return $"({string.Join(", ", written)}){mark}";
        // Each enclosing type takes its share of the arguments: Outer<A>.Inner<B>.
        var chain = new List<Type>();
        for (var t = type.GetGenericTypeDefinition(); t is not null; t = t.IsNested ? t.DeclaringType : null) chain.Insert(0, t);
        var used = 0;
        var parts = new List<string>();
        foreach (var t in chain)
        {
            var count = t.GetGenericArguments().Length - used;
            var own = count > 0 ? $"{Plain(t)}<{string.Join(", ", written.Skip(used).Take(count))}>" : Plain(t);
            used += Math.Max(count, 0);
            parts.Add(own);
        }
        var ns = string.IsNullOrEmpty(chain[0].Namespace) ? "" : chain[0].Namespace + ".";
        return ns + string.Join(".", parts) + mark;
    }
}
