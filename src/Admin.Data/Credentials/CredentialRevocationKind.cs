namespace Admin.Data.Credentials;

public enum CredentialRevocationKind
{
    /// <summary>A user row was deleted (or renamed away).</summary>
    UserDeleted,

    /// <summary>A user was disabled.</summary>
    UserDisabled,

    /// <summary>A TURN REST shared secret was deleted; <see cref="CredentialRevocation.SecretSha256"/> says which.</summary>
    SecretDeleted,

    /// <summary>turnusers_lt was truncated: every user of every realm is gone.</summary>
    AllUsersDeleted,

    /// <summary>turn_secret was truncated: every secret of every realm is gone.</summary>
    AllSecretsDeleted,
}
