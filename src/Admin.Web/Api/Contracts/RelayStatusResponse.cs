namespace Admin.Web.Api.Contracts;

/// <summary>
/// The relay's state: whether it is draining (new allocations refused with 508, live ones running on) and how many
/// allocations are live (the caller's realm only, for a realm admin). <paramref name="Audited"/> is set in the answer
/// to a request that changed the state: false when its audit row could not be written (PostgreSQL away).
/// </summary>
public sealed record RelayStatusResponse(bool Draining, int LiveAllocations, bool? Audited = null);
