namespace Admin.Data.Credentials;

/// <summary>Reads a last-known-good answer for <see cref="DatabaseOutage"/>; false when there is none young enough.</summary>
internal delegate bool LastKnownLookup<T>(out T value);
