using System.Reflection;
using System.Reflection.Emit;

namespace Vcm.Manager.Tests.Architecture;

/// <summary>
/// Which folder of an assembly uses which: read from the compiled code — signatures, base types, attributes and every
/// type, method and field a method body names (its IL) — so a use hidden in a lambda or an async method counts too.
/// A folder is the first namespace part after the assembly's own (Vcm.Manager.Controllers → Controllers).
/// </summary>
internal static class FolderDependencies
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>folder → (folder it uses → one example "Type uses Type").</summary>
    public static IReadOnlyDictionary<string, Dictionary<string, string>> Of(Assembly assembly)
    {
        var root = assembly.GetName().Name!;
        var graph = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var type in assembly.GetTypes())
        {
            var from = Folder(Outermost(type), root);
            if (from is null)
            {
                continue;
            }

            foreach (var used in Uses(type).Select(Outermost).Where(t => t.Assembly == assembly).Distinct())
            {
                if (Folder(used, root) is { } to && to != from)
                {
                    var edges = graph.TryGetValue(from, out var e) ? e : graph[from] = new Dictionary<string, string>(StringComparer.Ordinal);
                    edges.TryAdd(to, $"{Outermost(type).Name} uses {used.Name}");
                }
            }
        }

        return graph;
    }

    /// <summary>A cycle of folders (the first folder repeated at its end), or null when there is none.</summary>
    public static IReadOnlyList<string>? FindCycle(IReadOnlyDictionary<string, Dictionary<string, string>> graph)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1: on the path, 2: done
        var path = new List<string>();
        IReadOnlyList<string>? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in graph.TryGetValue(node, out var edges) ? edges.Keys.Order(StringComparer.Ordinal) : Enumerable.Empty<string>())
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    return [.. path.Skip(path.IndexOf(next)), next];
                }

                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }

        foreach (var node in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (state.GetValueOrDefault(node) == 0 && Visit(node) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static string? Folder(Type type, string root)
    {
        var ns = type.Namespace ?? "";
        return ns.StartsWith(root + ".", StringComparison.Ordinal) ? ns[(root.Length + 1)..].Split('.')[0] : null;
    }

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type;
    }

    private static IEnumerable<Type> Uses(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var direct = new List<Type>();
        if (type.BaseType is { } baseType)
        {
            direct.Add(baseType);
        }

        direct.AddRange(type.GetInterfaces());
        direct.AddRange(type.GetCustomAttributesData().Select(a => a.AttributeType));
        direct.AddRange(type.GetFields(all).Select(f => f.FieldType));
        direct.AddRange(type.GetProperties(all).Select(p => p.PropertyType));
        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            if (method is MethodInfo info)
            {
                direct.Add(info.ReturnType);
            }

            direct.AddRange(method.GetParameters().Select(p => p.ParameterType));
            direct.AddRange(method.GetCustomAttributesData().Select(a => a.AttributeType));
            direct.AddRange(BodyUses(method));
        }

        return direct.SelectMany(Expand);
    }

    /// <summary>The types, methods' and fields' types a method body names.</summary>
    private static IEnumerable<Type> BodyUses(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            var value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            at += il[at] == 0xFE ? 2 : 1;
            var op = OpCodesByValue[value];
            var size = OperandSize(op, il, at);
            if (op.OperandType is OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok)
            {
                var member = Resolve(method.Module, BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                switch (member)
                {
                    case Type t:
                        yield return t;
                        break;
                    case FieldInfo f:
                        yield return f.DeclaringType!;
                        yield return f.FieldType;
                        break;
                    case MethodBase m:
                        yield return m.DeclaringType!;
                        if (m is MethodInfo mi)
                        {
                            yield return mi.ReturnType;
                            foreach (var g in mi.IsGenericMethod ? mi.GetGenericArguments() : [])
                            {
                                yield return g;
                            }
                        }

                        foreach (var p in m.GetParameters())
                        {
                            yield return p.ParameterType;
                        }

                        break;
                }
            }

            at += size;
        }
    }

    private static MemberInfo? Resolve(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        try
        {
            return module.ResolveMember(token, typeArguments, methodArguments);
        }
        catch (ArgumentException)
        {
            return null; // a token this reflection cannot resolve outside its generic context
        }
    }

    private static int OperandSize(OpCode op, byte[] il, int at) => op.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
        _ => 4,
    };

    /// <summary>A type and the types it is made of (generic arguments, element types).</summary>
    private static IEnumerable<Type> Expand(Type type)
    {
        if (type.HasElementType)
        {
            foreach (var t in Expand(type.GetElementType()!))
            {
                yield return t;
            }

            yield break;
        }

        if (type.IsGenericParameter)
        {
            yield break;
        }

        yield return type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments().SelectMany(Expand))
            {
                yield return argument;
            }
        }
    }
}
