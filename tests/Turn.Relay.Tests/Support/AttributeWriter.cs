using Turn.Protocol;

namespace Turn.Relay.Tests.Support;

/// <summary>Adds request attributes (the writer is a ref struct, so a custom delegate).</summary>
internal delegate void AttributeWriter(ref StunMessageWriter writer);
