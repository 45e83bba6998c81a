using System.Reflection;
using System.Reflection.Emit;

namespace Zones.Tests.Architecture;

/// <summary>
/// Every type a type uses — in its signatures, fields, locals and method bodies (read from the
/// IL, so a <c>var</c> hides nothing) — with compiler-generated types (lambdas, async state
/// machines) counted as part of the type they were written in.
/// </summary>
internal static class TypeReferences
{
    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OperandType> Operands = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value, o => o.OperandType);

    /// <summary>The outermost declaring type: what a nested or compiler-generated type belongs to.</summary>
    public static Type Owner(Type type)
    {
        while (type.DeclaringType is { } outer) type = outer;
        return type;
    }

    public static IEnumerable<Type> Of(Type type)
    {
        var found = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null) return;
            if (t.HasElementType) { Add(t.GetElementType()); return; }
            if (t.IsGenericParameter) return;
            if (t.IsConstructedGenericType)
            {
                Add(t.GetGenericTypeDefinition());
                foreach (var argument in t.GetGenericArguments()) Add(argument);
                return;
            }
            found.Add(t);
        }

        Add(type.BaseType);
        foreach (var i in type.GetInterfaces()) Add(i);
        foreach (var field in type.GetFields(Everything)) Add(field.FieldType);
        foreach (var property in type.GetProperties(Everything)) Add(property.PropertyType);
        foreach (var method in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
        {
            if (method is MethodInfo info) Add(info.ReturnType);
            foreach (var parameter in method.GetParameters()) Add(parameter.ParameterType);
            var body = method.GetMethodBody();
            if (body is null) continue;
            foreach (var local in body.LocalVariables) Add(local.LocalType);
            foreach (var member in MembersUsedBy(method, body.GetILAsByteArray() ?? []))
            {
                switch (member)
                {
                    case Type t: Add(t); break;
                    case MethodBase m:
                        Add(m.DeclaringType);
                        if (m is MethodInfo { IsGenericMethod: true } g) foreach (var a in g.GetGenericArguments()) Add(a);
                        break;
                    case FieldInfo f: Add(f.DeclaringType); break;
                }
            }
        }
        return found;
    }

    private static IEnumerable<MemberInfo> MembersUsedBy(MethodBase method, byte[] il)
    {
        var typeArguments = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var members = new List<MemberInfo>();
        for (var i = 0; i < il.Length;)
        {
            short code = il[i++];
            if (code == 0xFE) code = (short)(0xFE00 | il[i++]);
            var operand = Operands[code];
            switch (operand)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    var token = BitConverter.ToInt32(il, i);
                    try { if (method.Module.ResolveMember(token, typeArguments, methodArguments) is { } member) members.Add(member); }
                    catch (ArgumentException) { } // a token of a generic context reflection cannot rebuild
                    i += 4;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + 4 * BitConverter.ToInt32(il, i);
                    break;
                default:
                    i += operand switch
                    {
                        OperandType.InlineNone => 0,
                        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                        OperandType.InlineVar => 2,
                        OperandType.InlineI8 or OperandType.InlineR => 8,
                        _ => 4,
                    };
                    break;
            }
        }
        return members;
    }
}
