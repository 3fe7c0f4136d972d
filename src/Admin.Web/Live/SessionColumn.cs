namespace Admin.Web.Live;

/// <summary>The Sessions page's sortable columns.</summary>
public enum SessionColumn
{
    User,
    Realm,
    Client,
    Relayed,
    Age,
    ExpiresIn,
    Permissions,
    Channels,
    BytesIn,
    BytesOut,
    PacketsIn,
    PacketsOut,
    RateIn,
    RateOut,
    Node,
}
