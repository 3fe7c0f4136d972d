using Admin.Data.Administration;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Admin.Web.Components.Layout;

/// <summary>
/// The theme half of the layout: dark or light from the admin's stored choice (<see cref="AdminPreferences"/>), or
/// from the browser's prefers-color-scheme (watched, so a system switch applies at once) when they chose none.
/// </summary>
public sealed partial class MainLayout
{
    private MudThemeProvider? _themeProvider;
    private string? _themeMode;
    private bool _systemDark;
    private bool _dark;

    [Inject] private AdminPreferences Preferences { get; set; } = null!;

    [Inject] private ISnackbar Snackbar { get; set; } = null!;

    [CascadingParameter] private Task<AuthenticationState>? Authentication { get; set; }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || _themeProvider is null) return;
        _systemDark = await _themeProvider.GetSystemDarkModeAsync();
        await _themeProvider.WatchSystemDarkModeAsync(SystemDarkChangedAsync);
        if (await AdminNameAsync() is { } name)
        {
            try
            {
                _themeMode = await Preferences.GetThemeAsync(name, CancellationToken.None);
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
            {
                // No database: follow the system until it is back.
            }
        }
        Apply();
        StateHasChanged();
    }

    private Task SystemDarkChangedAsync(bool dark)
    {
        _systemDark = dark;
        Apply();
        return InvokeAsync(StateHasChanged);
    }

    private async Task ThemeModeChangedAsync(string? mode)
    {
        _themeMode = mode;
        Apply();
        if (await AdminNameAsync() is not { } name) return;
        try
        {
            await Preferences.SetThemeAsync(AdminActor.Superuser(name, null), mode, CancellationToken.None);
        }
        catch (Exception e) when (e is AdminOperationException or Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            Snackbar.Add("The theme applies now but could not be saved: " + e.Message, Severity.Warning);
        }
    }

    private void Apply() => _dark = _themeMode switch
    {
        AdminPreferences.Dark => true,
        AdminPreferences.Light => false,
        _ => _systemDark,
    };

    private async Task<string?> AdminNameAsync() =>
        Authentication is null ? null : (await Authentication).User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : null;
}
