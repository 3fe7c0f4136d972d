using System.Net;

namespace Turnstone.TestSupport.Clients;

/// <summary>What turnutils_stunclient printed: the reflexive (XOR-MAPPED) address, or null when it got none.</summary>
public sealed record StunClientResult(IPEndPoint? MappedAddress, ProcessResult Process);
