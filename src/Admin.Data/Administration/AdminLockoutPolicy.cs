namespace Admin.Data.Administration;

/// <summary>
/// When failed sign-ins lock an admin account: after <paramref name="MaxFailedAttempts"/> in a row, for
/// <paramref name="Duration"/>. The portal passes its <c>Portal:Login</c> settings.
/// </summary>
public sealed record AdminLockoutPolicy(int MaxFailedAttempts, TimeSpan Duration);
