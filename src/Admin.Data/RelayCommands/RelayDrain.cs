using Admin.Data.Administration;
using Turn.Relay.Seams;

namespace Admin.Data.RelayCommands;

/// <summary>
/// Drains the relay (new allocations are refused with 508, live ones run on until they end) and resumes it, for the
/// portal and the API. Superusers only: it concerns every realm. Each change is audited (<see cref="RelayCommandAudit"/>);
/// asking for the state it is already in changes nothing and writes nothing (of two requests at once, one changes it).
/// </summary>
public sealed class RelayDrain(IRelayControl control, IRelayState state, RelayCommandAudit audit)
{
    public const string DrainAction = "relay.drain";
    public const string ResumeAction = "relay.resume";

    public bool IsDraining => control.IsDraining;

    /// <summary>Starts draining. The result says whether the state changed and whether its audit row was written.</summary>
    public Task<DrainResult> DrainAsync(AdminActor actor) => SetAsync(actor, drain: true);

    /// <summary>Accepts new allocations again.</summary>
    public Task<DrainResult> ResumeAsync(AdminActor actor) => SetAsync(actor, drain: false);

    private async Task<DrainResult> SetAsync(AdminActor actor, bool drain)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsSuperuser)
            throw new AdminOperationException(AdminErrorCode.Forbidden, $"Admin '{actor.Name}' may not drain or resume the relay: only a superuser may, as it concerns every realm.", null);
        var changed = drain ? control.Drain() : control.Resume();
        if (!changed) return new DrainResult(control.IsDraining, Changed: false, AuditWritten: false);
        var live = state.GetSnapshot().Allocations.Count;
        var written = await audit.WriteAsync(actor, drain ? DrainAction : ResumeAction, "relay", null, new { liveAllocations = live });
        return new DrainResult(control.IsDraining, Changed: true, written);
    }
}
