using Admin.Data.Administration;
using Turn.Relay.Seams;

namespace Admin.Web.Live;

/// <summary>
/// Drains the relay (new allocations are refused with 508, live ones run on until they end) and resumes it, for the
/// portal and the API. Superusers only: it concerns every realm. Each change is audited (<see cref="RelayCommandAudit"/>);
/// asking for the state it is already in changes nothing and writes nothing.
/// </summary>
public sealed class RelayDrain(IRelayControl control, IRelayState state, RelayCommandAudit audit)
{
    public const string DrainAction = "relay.drain";
    public const string ResumeAction = "relay.resume";

    public bool IsDraining => control.IsDraining;

    /// <summary>Starts draining. The result says whether the state changed and whether its audit row was written.</summary>
    public Task<DrainResult> DrainAsync(AdminActor actor, CancellationToken cancellationToken) => SetAsync(actor, drain: true, cancellationToken);

    /// <summary>Accepts new allocations again.</summary>
    public Task<DrainResult> ResumeAsync(AdminActor actor, CancellationToken cancellationToken) => SetAsync(actor, drain: false, cancellationToken);

    private async Task<DrainResult> SetAsync(AdminActor actor, bool drain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsSuperuser)
            throw new AdminOperationException(AdminErrorCode.Forbidden, $"Admin '{actor.Name}' may not drain or resume the relay: only a superuser may, as it concerns every realm.", null);
        if (control.IsDraining == drain) return new DrainResult(drain, Changed: false, AuditWritten: true);
        if (drain) control.Drain();
        else control.Resume();
        var live = state.GetSnapshot().Allocations.Count;
        var written = await audit.WriteAsync(actor, drain ? DrainAction : ResumeAction, "relay", null, new { liveAllocations = live }, cancellationToken);
        return new DrainResult(drain, Changed: true, written);
    }
}

/// <summary>The relay's drain state after a request, whether the request changed it, and whether the change was audited.</summary>
public sealed record DrainResult(bool Draining, bool Changed, bool AuditWritten);
