namespace Admin.Data.Import.Coturn;

/// <summary>What the import does (or, in a dry run, would do) with one item.</summary>
public enum ImportOutcome
{
    /// <summary>Not in the database yet: added.</summary>
    Added,

    /// <summary>In the database with another value (a user's key, an option's value, an origin's realm, an admin's realm or password): set to coturn's.</summary>
    Updated,

    /// <summary>Already in the database as coturn has it.</summary>
    Unchanged,
}
