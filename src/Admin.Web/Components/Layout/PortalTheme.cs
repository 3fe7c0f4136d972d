using MudBlazor;

namespace Admin.Web.Components.Layout;

/// <summary>The portal's MudBlazor theme, light and dark palettes. System fonts only: the portal must work offline.</summary>
public static class PortalTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f5f8b",
            AppbarBackground = "#1f3b4d",
            DrawerBackground = "#f7f9fa",
        },
        // Dark: the same blue, lightened so it keeps its contrast on dark surfaces.
        PaletteDark = new PaletteDark
        {
            Primary = "#7fb6e0",
            AppbarBackground = "#162733",
            DrawerBackground = "#1d1f24",
            Background = "#17191d",
            Surface = "#22252b",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
            },
        },
    };
}
