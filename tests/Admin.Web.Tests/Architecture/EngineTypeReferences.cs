using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Admin.Web.Tests.Architecture;

/// <summary>
/// Reads a built assembly's metadata for the types it names from another assembly: every use of a type from elsewhere
/// (a call, a field, a base type, a generic argument, an attribute) needs a TypeRef row whose scope is that assembly,
/// so the TypeRef table is the complete list.
/// </summary>
internal static class EngineTypeReferences
{
    /// <summary>Full names (Namespace.Type, nested as Outer+Inner) of the types <paramref name="from"/> names in the assembly called <paramref name="target"/>.</summary>
    public static IReadOnlyList<string> Into(Assembly from, string target)
    {
        using var stream = File.OpenRead(from.Location);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var handle in metadata.TypeReferences)
        {
            var reference = metadata.GetTypeReference(handle);
            if (RootScope(metadata, reference) is { Kind: HandleKind.AssemblyReference } scope
                && metadata.GetString(metadata.GetAssemblyReference((AssemblyReferenceHandle)scope).Name) == target)
            {
                names.Add(FullName(metadata, reference));
            }
        }
        return [.. names];
    }

    // A nested type's scope is its enclosing type's reference; the outermost one names the assembly.
    private static EntityHandle RootScope(MetadataReader metadata, TypeReference reference)
    {
        var scope = reference.ResolutionScope;
        while (scope.Kind == HandleKind.TypeReference)
            scope = metadata.GetTypeReference((TypeReferenceHandle)scope).ResolutionScope;
        return scope;
    }

    private static string FullName(MetadataReader metadata, TypeReference reference)
    {
        var name = metadata.GetString(reference.Name);
        if (reference.ResolutionScope.Kind == HandleKind.TypeReference)
            return FullName(metadata, metadata.GetTypeReference((TypeReferenceHandle)reference.ResolutionScope)) + "+" + name;
        var ns = metadata.GetString(reference.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }
}
