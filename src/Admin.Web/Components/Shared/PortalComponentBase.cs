using Admin.Data.Administration;
using Admin.Web.Portal;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Admin.Web.Components.Shared;

/// <summary>
/// Base of the management pages and dialogs: who is acting, and one way to run an operation so that a refusal
/// (<see cref="AdminOperationException"/>) becomes a message on the page instead of a broken circuit.
/// </summary>
public abstract class PortalComponentBase : ComponentBase
{
    [Inject] protected PortalActor Actor { get; set; } = default!;

    [Inject] protected ISnackbar Snackbar { get; set; } = default!;

    /// <summary>The last refusal's message, for an alert on the page; null when the last operation succeeded.</summary>
    protected string? Error { get; set; }

    /// <summary>The field the last refusal named ("name", "password", "range", ...), for an inline error.</summary>
    protected string? ErrorField { get; set; }

    /// <summary>Runs <paramref name="operation"/> as the signed-in admin; false (and <see cref="Error"/> set) when refused.</summary>
    protected async Task<bool> TryAsync(Func<AdminActor, Task> operation, string? success = null)
    {
        ArgumentNullException.ThrowIfNull(operation);
        try
        {
            await operation(await Actor.GetAsync());
            Error = null;
            ErrorField = null;
            if (success is not null) Snackbar.Add(success, Severity.Success);
            return true;
        }
        catch (AdminOperationException e)
        {
            Error = e.Message;
            ErrorField = e.Field;
            return false;
        }
    }

    /// <summary>The error to show under the input named <paramref name="field"/>, if the last refusal was about it.</summary>
    protected string? ErrorFor(string field) => string.Equals(ErrorField, field, StringComparison.Ordinal) ? Error : null;
}
