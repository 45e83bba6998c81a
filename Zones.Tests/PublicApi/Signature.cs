using System.Globalization;
using System.Reflection;

namespace Zones.Tests.PublicApi;

/// <summary>The parts of a member's declaration that a caller depends on: parameter and return types with nullability, ref kinds, defaults, generic constraints.</summary>
public static class Signature
{
    // One context per call: NullabilityInfoContext is not thread-safe.
    public static string Return(MethodInfo method) =>
        (method.ReturnType.IsByRef ? "ref " : "") + TypeNames.Of(method.ReturnType, new NullabilityInfoContext().Create(method.ReturnParameter));

    public static string Of(PropertyInfo property) => TypeNames.Of(property.PropertyType, new NullabilityInfoContext().Create(property));

    public static string Of(FieldInfo field) => TypeNames.Of(field.FieldType, new NullabilityInfoContext().Create(field));

    public static string Of(EventInfo e) => TypeNames.Of(e.EventHandlerType!, new NullabilityInfoContext().Create(e));

    public static string Parameters(MethodBase method)
    {
        var text = Parameters(method.GetParameters());
        return method.IsDefined(typeof(System.Runtime.CompilerServices.ExtensionAttribute), false) ? "this " + text : text;
    }

    public static string Parameters(ParameterInfo[] parameters) => string.Join(", ", parameters.Select(Parameter));

    private static string Parameter(ParameterInfo p)
    {
        var kind = p.ParameterType.IsByRef ? (p.IsOut ? "out " : p.IsIn ? "in " : "ref ") : "";
        var isParams = p.IsDefined(typeof(ParamArrayAttribute), false)
            || p.GetCustomAttributesData().Any(a => a.AttributeType.Name == "ParamCollectionAttribute");
        var text = $"{(isParams ? "params " : "")}{kind}{TypeNames.Of(p.ParameterType, new NullabilityInfoContext().Create(p))} {p.Name}";
        return p.HasDefaultValue ? $"{text} = {Literal(p.RawDefaultValue, p.ParameterType)}" : text;
    }

    public static string Literal(object? value, Type type) => value switch
    {
        null => type.IsValueType && Nullable.GetUnderlyingType(type) is null ? "default" : "null",
        string s => $"\"{s}\"",
        char c => $"'{c}'",
        bool b => b ? "true" : "false",
        _ when type.IsEnum => $"{TypeNames.Of(type)}.{Enum.ToObject(type, value)}",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public static string Constraints(Type[] genericArguments)
    {
        var clauses = new List<string>();
        foreach (var a in genericArguments.Where(a => a.IsGenericParameter))
        {
            var parts = new List<string>();
            var flags = a.GenericParameterAttributes;
            if (flags.HasFlag(GenericParameterAttributes.NotNullableValueTypeConstraint)) parts.Add("struct");
            else if (flags.HasFlag(GenericParameterAttributes.ReferenceTypeConstraint)) parts.Add("class");
            parts.AddRange(a.GetGenericParameterConstraints().Where(c => c != typeof(ValueType)).Select(c => TypeNames.Of(c)).Order(StringComparer.Ordinal));
            if (flags.HasFlag(GenericParameterAttributes.DefaultConstructorConstraint) && !flags.HasFlag(GenericParameterAttributes.NotNullableValueTypeConstraint)) parts.Add("new()");
            if (parts.Count > 0) clauses.Add($" where {a.Name} : {string.Join(", ", parts)}");
        }
        return string.Concat(clauses);
    }
}
