namespace Admin.Data.Administration;

/// <summary>
/// How many realms, users, shared secrets and admins an admin may see (the dashboard's count cards): all of them
/// for a superuser, only their realm's for a realm admin.
/// </summary>
public sealed record ConfigurationCounts(int Realms, int Users, int Secrets, int Admins);
