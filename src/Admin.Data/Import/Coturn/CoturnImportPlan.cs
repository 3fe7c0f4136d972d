namespace Admin.Data.Import.Coturn;

/// <summary>
/// What an import would write to the database, what goes to appsettings (<see cref="RelaySettings"/>, never written
/// by the import), and what is left out with its reason. Built by <see cref="CoturnConfigMapper"/> and
/// <see cref="CoturnDatabaseMapper"/>; the Add methods drop exact repeats and report a conflicting second value.
/// </summary>
public sealed class CoturnImportPlan
{
    private readonly SortedSet<string> _realms = new(StringComparer.Ordinal);

    /// <summary>turnserver.conf's realm: where coturn's realm-less rows and user= lines go. Null when neither file names one.</summary>
    public string? DefaultRealm { get; set; }

    public IReadOnlyCollection<string> Realms => _realms;

    public List<ImportedUser> Users { get; } = [];

    public List<ImportedSecret> Secrets { get; } = [];

    public List<ImportedRealmOption> RealmOptions { get; } = [];

    public List<ImportedOrigin> Origins { get; } = [];

    public List<ImportedPeerRule> PeerRules { get; } = [];

    public List<ImportedAdmin> Admins { get; } = [];

    /// <summary>Relay:* settings for appsettings.json, by key below "Relay" (values: int, long, bool, string or string list).</summary>
    public SortedDictionary<string, object> RelaySettings { get; } = new(StringComparer.Ordinal);

    /// <summary>What is left out, where it was, and why.</summary>
    public List<ImportSkip> Skipped { get; } = [];

    /// <summary>Options Turnstone covers without a setting (built in, or the default), or that behave differently; one line each.</summary>
    public List<string> Notes { get; } = [];

    public void AddRealm(string realm) => _realms.Add(realm);

    public void Skip(string what, string source, string reason) => Skipped.Add(new ImportSkip(what, source, reason));

    public void AddUser(ImportedUser user)
    {
        var same = Users.Find(u => u.Realm == user.Realm && u.Name == user.Name);
        if (same is null) { Users.Add(user); AddRealm(user.Realm); }
        else if (same.HmacKey != user.HmacKey) Skip($"user {user.Name}@{user.Realm}", user.Source, $"a different key for this user comes first, from {same.Source}");
    }

    public void AddSecret(ImportedSecret secret)
    {
        if (Secrets.Exists(s => s.Realm == secret.Realm && s.Value == secret.Value)) return;
        Secrets.Add(secret);
        AddRealm(secret.Realm);
    }

    public void AddRealmOption(ImportedRealmOption option)
    {
        var same = RealmOptions.Find(o => o.Realm == option.Realm && o.Opt == option.Opt);
        if (same is null) { RealmOptions.Add(option); AddRealm(option.Realm); }
        else if (same.Value != option.Value) Skip($"{option.Opt} of realm {option.Realm}", option.Source, $"another value comes first, from {same.Source}");
    }

    public void AddOrigin(ImportedOrigin origin)
    {
        var same = Origins.Find(o => o.Origin == origin.Origin);
        if (same is null) { Origins.Add(origin); AddRealm(origin.Realm); }
        else if (same.Realm != origin.Realm) Skip($"origin {origin.Origin}", origin.Source, $"mapped to realm {same.Realm} first, from {same.Source} (one realm per origin)");
    }

    public void AddPeerRule(ImportedPeerRule rule)
    {
        if (PeerRules.Exists(r => r.Realm == rule.Realm && r.Kind == rule.Kind && r.Range == rule.Range)) return;
        PeerRules.Add(rule);
        if (rule.Realm.Length > 0) AddRealm(rule.Realm);
    }

    public void AddAdmin(ImportedAdmin admin)
    {
        var same = Admins.Find(a => a.Name == admin.Name);
        if (same is null) { Admins.Add(admin); if (admin.Realm.Length > 0) AddRealm(admin.Realm); }
        else Skip($"admin {admin.Name}", admin.Source, $"an admin of this name comes first, from {same.Source}");
    }
}
