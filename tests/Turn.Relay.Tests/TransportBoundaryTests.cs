using System.Reflection;
using System.Reflection.Emit;
using Turn.Relay.Transports;

namespace Turn.Relay.Tests;

/// <summary>
/// The I/O models stay siblings: Transports/Sockets and Transports/Linux never use each other's
/// types, and the shared layer in Transports uses neither, except the factory that picks one.
/// Checked over the built assembly: signatures and every type, method and field a method body names.
/// </summary>
public sealed class TransportBoundaryTests
{
    private const string Shared = "Turn.Relay.Transports";
    private const string Sockets = "Turn.Relay.Transports.Sockets";
    private const string Linux = "Turn.Relay.Transports.Linux";

    private static readonly Dictionary<short, OpCode> s_opCodes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    [Fact]
    public void IoModels_NeverReferToEachOther_NorDoesTheSharedLayer()
    {
        var offending = new SortedSet<string>();
        foreach (var type in typeof(ISocketTransport).Assembly.GetTypes())
        {
            string[] forbidden = type.Namespace switch
            {
                Sockets => [Linux],
                Linux => [Sockets],
                Shared when Outermost(type) != typeof(SocketTransportFactory) => [Sockets, Linux],
                _ => [],
            };
            if (forbidden.Length == 0) continue;
            foreach (var referenced in ReferencedTypes(type))
            {
                if (forbidden.Contains(referenced.Namespace)) offending.Add($"{type.FullName} uses {referenced.FullName}");
            }
        }
        Assert.Empty(offending);
    }

    [Fact]
    public void BoundaryCheck_SeesTypesNamedInMethodBodies()
    {
        // The factory creates both models in its body only: the scan must find them there.
        var referenced = ReferencedTypes(typeof(SocketTransportFactory)).Select(t => t.Namespace).ToHashSet();
        Assert.Contains(Sockets, referenced);
        Assert.Contains(Linux, referenced);
    }

    private static Type Outermost(Type type) => type.DeclaringType is { } declaring ? Outermost(declaring) : type;

    private static IEnumerable<Type> ReferencedTypes(Type type)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var found = new List<Type>();
        if (type.BaseType is { } baseType) found.Add(baseType);
        found.AddRange(type.GetInterfaces());
        found.AddRange(type.GetFields(All).Select(f => f.FieldType));
        foreach (var method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            if (method is MethodInfo info) found.Add(info.ReturnType);
            found.AddRange(method.GetParameters().Select(p => p.ParameterType));
            found.AddRange(TypesInBody(method));
        }
        return found.SelectMany(Unwrap);
    }

    // A generic, array, pointer or by-ref type stands for the types it is made of.
    private static IEnumerable<Type> Unwrap(Type type)
    {
        if (type.HasElementType) return Unwrap(type.GetElementType()!);
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
            return [type.GetGenericTypeDefinition(), .. type.GetGenericArguments().SelectMany(Unwrap)];
        return [type];
    }

    private static IEnumerable<Type> TypesInBody(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) yield break;
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            var code = il[i] == 0xFE ? s_opCodes[unchecked((short)(0xFE00 | il[i + 1]))] : s_opCodes[il[i]];
            i += code.Size;
            if (code.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                var member = method.Module.ResolveMember(BitConverter.ToInt32(il, i), typeArguments, methodArguments);
                switch (member)
                {
                    case Type named:
                        yield return named;
                        break;
                    case FieldInfo field:
                        yield return field.DeclaringType!;
                        yield return field.FieldType;
                        break;
                    case MethodBase called:
                        yield return called.DeclaringType!;
                        break;
                }
            }
            i += OperandSize(code.OperandType, il, i);
        }
    }

    private static int OperandSize(OperandType operand, byte[] il, int at) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };
}
