using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Zones.Tests.PublicApi;

/// <summary>
/// An assembly's public surface as text, one declaration a line, sorted: every type a user can
/// name and every member a user can call, override or read (public and protected), with its
/// full signature — nullability, defaults, modifiers — so that any change a user would notice
/// changes a line. Attributes and method bodies are not part of it.
/// </summary>
public static class PublicApiListing
{
    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic
        | BindingFlags.Instance | BindingFlags.Static;

    public static IReadOnlyList<string> Of(Assembly assembly)
    {
        var entries = new List<(string Type, int Rank, string Line)>();
        foreach (var type in assembly.GetExportedTypes())
        {
            var name = TypeNames.Declared(type);
            entries.Add((name, 0, TypeLine(type)));
            if (typeof(Delegate).IsAssignableFrom(type)) continue; // the type line is its whole signature
            foreach (var member in type.GetMembers(Declared).Where(IsVisible))
            {
                var line = MemberLine(member);
                if (line is not null) entries.Add((name, 1, line));
            }
        }
        return [.. entries.OrderBy(e => e.Type, StringComparer.Ordinal).ThenBy(e => e.Rank).ThenBy(e => e.Line, StringComparer.Ordinal).Select(e => e.Line)];
    }

    private static string TypeLine(Type type)
    {
        var name = TypeNames.Declared(type);
        if (typeof(Delegate).IsAssignableFrom(type) && type != typeof(Delegate) && type.BaseType == typeof(MulticastDelegate))
        {
            var invoke = type.GetMethod("Invoke")!;
            return $"public delegate {Signature.Return(invoke)} {name}({Signature.Parameters(invoke)})";
        }
        var kind = type.IsInterface ? "interface"
            : type.IsEnum ? "enum"
            : type.IsValueType ? "struct"
            : type.IsAbstract && type.IsSealed ? "static class"
            : type.IsAbstract ? "abstract class"
            : type.IsSealed ? "sealed class"
            : "class";
        var bases = new List<string>();
        if (type.IsEnum) bases.Add(TypeNames.Of(Enum.GetUnderlyingType(type)));
        else if (type.BaseType is { } b && b != typeof(object) && b != typeof(ValueType)) bases.Add(TypeNames.Of(b));
        var inherited = type.BaseType?.GetInterfaces() ?? [];
        bases.AddRange(type.GetInterfaces().Where(i => !inherited.Contains(i) && IsVisible(i)).Select(i => TypeNames.Of(i)).Order(StringComparer.Ordinal));
        var access = type.IsNestedFamily || type.IsNestedFamORAssem ? "protected" : "public";
        return $"{access} {kind} {name}{(bases.Count > 0 ? " : " + string.Join(", ", bases) : "")}{Signature.Constraints(type.GetGenericArguments())}";
    }

    private static string? MemberLine(MemberInfo member)
    {
        var owner = TypeNames.Declared(member.DeclaringType!);
        switch (member)
        {
            case ConstructorInfo c:
                return $"{Access(c)}{(c.IsStatic ? " static" : "")} {owner}.{TypeNames.Plain(c.DeclaringType!)}({Signature.Parameters(c)})";
            case MethodInfo m when m.IsSpecialName && !m.Name.StartsWith("op_", StringComparison.Ordinal):
                return null; // property and event accessors: listed with their property or event
            case MethodInfo m:
                var generic = m.IsGenericMethodDefinition ? $"<{string.Join(", ", m.GetGenericArguments().Select(a => a.Name))}>" : "";
                return $"{Access(m)}{Modifiers(m)} {Signature.Return(m)} {owner}.{m.Name}{generic}({Signature.Parameters(m)}){Signature.Constraints(m.GetGenericArguments())}";
            case PropertyInfo p:
                var accessors = p.GetAccessors(nonPublic: true).Where(IsVisible).ToList();
                var getter = p.GetMethod is { } g && IsVisible(g) ? Accessor(g, "get", accessors[0]) : null;
                var setter = p.SetMethod is { } s && IsVisible(s) ? Accessor(s, IsInitOnly(s) ? "init" : "set", accessors[0]) : null;
                var first = accessors[0];
                var index = p.GetIndexParameters();
                var what = index.Length > 0 ? $"this[{Signature.Parameters(index)}]" : p.Name;
                return $"{Access(first)}{Modifiers(first)} {Signature.Of(p)} {owner}.{what} {{ {string.Join(" ", new[] { getter, setter }.OfType<string>())} }}";
            case FieldInfo f when member.DeclaringType!.IsEnum:
                return f.IsStatic ? $"{owner}.{f.Name} = {Convert.ToString(f.GetRawConstantValue(), CultureInfo.InvariantCulture)}" : null;
            case FieldInfo f:
                var constant = f.IsLiteral ? $" = {Signature.Literal(f.GetRawConstantValue(), f.FieldType)}" : "";
                var kind = f.IsLiteral ? " const" : (f.IsStatic ? " static" : "") + (f.IsInitOnly ? " readonly" : "");
                return $"{Access(f)}{kind} {Signature.Of(f)} {owner}.{f.Name}{constant}";
            case EventInfo e:
                var add = e.AddMethod!;
                return $"{Access(add)}{Modifiers(add)} event {Signature.Of(e)} {owner}.{e.Name}";
            case Type:
                return null; // nested types have lines of their own
            default:
                throw new NotSupportedException($"{member.MemberType} {owner}.{member.Name}");
        }
    }

    private static string? Accessor(MethodInfo method, string keyword, MethodInfo widest) =>
        Access(method) == Access(widest) ? keyword + ";" : $"{Access(method)} {keyword};";

    private static bool IsInitOnly(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));

    private static bool IsVisible(MemberInfo member) => member switch
    {
        // Compiler-made members (<Clone>$ of records, backing fields) are no one's to call.
        _ when member.Name.StartsWith('<') => false,
        MethodBase m => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly,
        FieldInfo f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly,
        PropertyInfo p => p.GetAccessors(nonPublic: true).Any(IsVisible),
        EventInfo e => e.AddMethod is { } add && IsVisible(add),
        Type t => t.IsVisible,
        _ => false,
    };

    private static string Access(MethodBase method) => method.IsPublic ? "public" : "protected";

    private static string Access(FieldInfo field) => field.IsPublic ? "public" : "protected";

    private static string Modifiers(MethodInfo method)
    {
        if (method.IsStatic) return " static";
        if (method.DeclaringType!.IsInterface) return method.IsAbstract ? "" : " virtual";
        if (method.IsAbstract) return " abstract";
        if (!method.IsVirtual) return "";
        var overrides = method.GetBaseDefinition().DeclaringType != method.DeclaringType;
        if (method.IsFinal) return overrides ? " sealed override" : ""; // a sealed override, or an interface's method made public
        return overrides ? " override" : " virtual";
    }
}
