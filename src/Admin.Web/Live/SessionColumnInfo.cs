namespace Admin.Web.Live;

/// <summary>
/// How the Sessions page shows one column: its header, whether it is shown until the viewer chooses otherwise, and
/// whether it can be hidden at all (user and realm cannot: they say whose session a row is).
/// </summary>
public sealed record SessionColumnInfo(SessionColumn Column, string Title, bool ShownByDefault, bool Fixed = false)
{
    /// <summary>In display order. The defaults fit 1366 px with the navigation drawer open.</summary>
    public static readonly IReadOnlyList<SessionColumnInfo> All =
    [
        new(SessionColumn.User, "User", true, Fixed: true),
        new(SessionColumn.Realm, "Realm", true, Fixed: true),
        new(SessionColumn.Node, "Node", true),
        new(SessionColumn.Client, "Client", true),
        new(SessionColumn.Relayed, "Relayed", false),
        new(SessionColumn.Age, "Age", true),
        new(SessionColumn.ExpiresIn, "Expires in", false),
        new(SessionColumn.Permissions, "Perms", false),
        new(SessionColumn.Channels, "Channels", false),
        new(SessionColumn.BytesIn, "Bytes in", true),
        new(SessionColumn.BytesOut, "Bytes out", true),
        new(SessionColumn.PacketsIn, "Pkts in", false),
        new(SessionColumn.PacketsOut, "Pkts out", false),
        new(SessionColumn.RateIn, "Rate in", true),
        new(SessionColumn.RateOut, "Rate out", true),
    ];

    /// <summary>The columns shown for a stored choice ("Column,Column,..." of the hidden ones); unknown names are ignored.</summary>
    public static HashSet<SessionColumn> Hidden(string? stored)
    {
        if (stored is null) return All.Where(c => !c.ShownByDefault).Select(c => c.Column).ToHashSet();
        var hidden = new HashSet<SessionColumn>();
        foreach (var name in stored.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (Enum.TryParse<SessionColumn>(name, out var column) && All.Any(c => c.Column == column && !c.Fixed)) hidden.Add(column);
        return hidden;
    }

    /// <summary>The stored form of a choice (hidden columns, so columns added later show up).</summary>
    public static string Store(IEnumerable<SessionColumn> hidden) => string.Join(',', hidden.Order());
}
