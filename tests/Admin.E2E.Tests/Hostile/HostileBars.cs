namespace Admin.E2E.Tests.Hostile;

/// <summary>
/// Issue 13's "Done when" bars, as the hostile suite asserts them, and the limits it measures against. The answer
/// limits are the documented defaults of the request pre-authentication stage (Relay:UnauthenticatedAnswersPerSecond,
/// Relay:UnauthenticatedAnswerBurst); change them here if the defaults change.
/// </summary>
internal static class HostileBars
{
    /// <summary>During a maximum-rate flood of random USERNAMEs or USERHASHes, at least 95 % of legitimate aioice cycles succeed.</summary>
    public const double MinLegitimateSuccessRatio = 0.95;

    /// <summary>Legitimate cycles a flood measurement must get through at least (fewer means the client was starved).</summary>
    public const int MinLegitimateCycles = 5;

    /// <summary>Credential SELECTs a junk-nonce flood may cause: none (a request without a nonce of ours never reaches the database).</summary>
    public const long MaxCredentialSelectsFromJunkNonceFlood = 0;

    /// <summary>Relay:UnauthenticatedAnswersPerSecond (default): answers per second to one source before authentication.</summary>
    public const int UnauthenticatedAnswersPerSecond = 20;

    /// <summary>Relay:UnauthenticatedAnswerBurst (default): answers a quiet source may get at once.</summary>
    public const int UnauthenticatedAnswerBurst = 100;

    /// <summary>The rate of mode (d): unauthenticated requests from one source, for one second.</summary>
    public const int ReflectionRequestsPerSecond = 5_000;

    /// <summary>How much resident memory a flood may add to the server (the issue saw 315 MB at 95k/s before).</summary>
    public const long MaxResidentGrowthBytes = 200L << 20;
}
