namespace Admin.Web.Live;

/// <summary>
/// What one viewer asks of the shared snapshot: filters (case-insensitive substrings), sort and page. Applied on the
/// server to the one <see cref="LiveSnapshot"/> of the tick, so the browser only ever gets one page of rows.
/// </summary>
/// <param name="Scope">The realm a realm admin is limited to (from the sign-in, never from the browser); null = all.</param>
/// <param name="Node">Only sessions held on this node (exact name, case-insensitive); null or empty = every node.</param>
public sealed record SessionQuery(
    string? Scope,
    string? Realm = null,
    string? User = null,
    string? Address = null,
    SessionColumn SortBy = SessionColumn.Age,
    bool Descending = false,
    int Page = 0,
    int PageSize = 50,
    string? Node = null)
{
    public const int MaxPageSize = 500;

    /// <summary>The matching sessions' count and the requested page of them.</summary>
    public SessionPage Apply(LiveSnapshot snapshot)
    {
        var matching = Filter(snapshot);
        var size = Math.Clamp(PageSize, 1, MaxPageSize);
        var pages = Math.Max(1, (matching.Count + size - 1) / size);
        var page = Math.Clamp(Page, 0, pages - 1);
        return new SessionPage(matching.Count, page, matching.Skip(page * size).Take(size).ToList());
    }

    /// <summary>Every matching session, in the requested order (the API pages them by offset).</summary>
    public IReadOnlyList<LiveSession> Filter(LiveSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        IEnumerable<LiveSession> rows = snapshot.Sessions;
        if (Scope is not null) rows = rows.Where(s => string.Equals(s.Allocation.Realm, Scope, StringComparison.Ordinal));
        if (!string.IsNullOrWhiteSpace(Realm)) rows = rows.Where(s => s.Allocation.Realm.Contains(Realm.Trim(), StringComparison.OrdinalIgnoreCase));
        if (!string.IsNullOrWhiteSpace(User)) rows = rows.Where(s => s.Allocation.Username.Contains(User.Trim(), StringComparison.OrdinalIgnoreCase));
        if (!string.IsNullOrWhiteSpace(Node)) rows = rows.Where(s => string.Equals(s.Node, Node.Trim(), StringComparison.OrdinalIgnoreCase));
        if (!string.IsNullOrWhiteSpace(Address))
        {
            var address = Address.Trim();
            rows = rows.Where(s => s.ClientText.Contains(address, StringComparison.OrdinalIgnoreCase) || s.RelayedText.Contains(address, StringComparison.OrdinalIgnoreCase));
        }
        var matching = rows.ToList();
        var comparer = Comparer(SortBy);
        // The id breaks ties, so equal rows keep their order from tick to tick.
        matching.Sort((a, b) =>
        {
            var order = comparer(a, b);
            if (Descending) order = -order;
            return order != 0 ? order : string.CompareOrdinal(a.Id, b.Id);
        });
        return matching;
    }

    private static Comparison<LiveSession> Comparer(SessionColumn column) => column switch
    {
        SessionColumn.User => (a, b) => string.Compare(a.Allocation.Username, b.Allocation.Username, StringComparison.OrdinalIgnoreCase),
        SessionColumn.Realm => (a, b) => string.Compare(a.Allocation.Realm, b.Allocation.Realm, StringComparison.OrdinalIgnoreCase),
        SessionColumn.Client => (a, b) => string.CompareOrdinal(a.ClientText, b.ClientText),
        SessionColumn.Relayed => (a, b) => string.CompareOrdinal(a.RelayedText, b.RelayedText),
        // Age ascending = youngest first, i.e. newest creation first.
        SessionColumn.Age => (a, b) => b.Allocation.Created.CompareTo(a.Allocation.Created),
        SessionColumn.ExpiresIn => (a, b) => a.Allocation.Expires.CompareTo(b.Allocation.Expires),
        SessionColumn.Permissions => (a, b) => a.Allocation.Permissions.Count.CompareTo(b.Allocation.Permissions.Count),
        SessionColumn.Channels => (a, b) => a.Allocation.Channels.Count.CompareTo(b.Allocation.Channels.Count),
        SessionColumn.BytesIn => (a, b) => a.Allocation.BytesFromClient.CompareTo(b.Allocation.BytesFromClient),
        SessionColumn.BytesOut => (a, b) => a.Allocation.BytesToClient.CompareTo(b.Allocation.BytesToClient),
        SessionColumn.PacketsIn => (a, b) => a.Allocation.PacketsFromClient.CompareTo(b.Allocation.PacketsFromClient),
        SessionColumn.PacketsOut => (a, b) => a.Allocation.PacketsToClient.CompareTo(b.Allocation.PacketsToClient),
        SessionColumn.RateIn => (a, b) => a.BitsPerSecondIn.CompareTo(b.BitsPerSecondIn),
        SessionColumn.RateOut => (a, b) => a.BitsPerSecondOut.CompareTo(b.BitsPerSecondOut),
        SessionColumn.Node => (a, b) => string.Compare(a.Node, b.Node, StringComparison.OrdinalIgnoreCase),
        _ => throw new ArgumentOutOfRangeException(nameof(column)),
    };
}
