using System.Text.Json.Serialization;

namespace Admin.Web.Cluster;

/// <summary>Source-generated JSON for the internal endpoint: no reflection per request, compact (no indentation, nulls left out).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NodeSnapshotWire))]
[JsonSerializable(typeof(TerminateCommandWire))]
[JsonSerializable(typeof(TerminateResultWire))]
[JsonSerializable(typeof(DrainResultWire))]
internal sealed partial class ClusterJsonContext : JsonSerializerContext;
