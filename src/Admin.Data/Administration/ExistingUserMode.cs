namespace Admin.Data.Administration;

/// <summary>What an import does with a row naming a user the realm already has.</summary>
public enum ExistingUserMode
{
    /// <summary>The row is refused, so the whole import is (the all-or-nothing default).</summary>
    Refuse,

    /// <summary>The row is skipped; the existing user keeps its password or key.</summary>
    Skip,

    /// <summary>The existing user's key is replaced by the row's password or key.</summary>
    Update,
}
