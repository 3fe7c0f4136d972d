namespace Turn.Relay.Diagnostics;

/// <summary>Counts summed over live and deleted allocations, indexed by <see cref="Seams.RelayTransport"/>.</summary>
internal sealed record RelayTotals(RelayTransportTotals[] ByTransport);
