namespace Turn.Relay.Requests;

/// <summary>The per-source limits of <see cref="RelayOptions"/>, checked at start by <see cref="RelayOptionsValidator"/>.</summary>
internal static class RequestLimitOptionsValidation
{
    // A bucket keeps milli-tokens in 32 bits.
    private const int MaxBurst = 1_000_000;

    public static void Validate(RelayOptions options, List<string> errors)
    {
        const string s = RelayOptions.SectionName;
        CheckRate($"{s}:RequestsPerSecondPerSource", options.RequestsPerSecondPerSource, $"{s}:RequestBurstPerSource", options.RequestBurstPerSource, errors);
        CheckRate($"{s}:UnauthenticatedAnswersPerSecond", options.UnauthenticatedAnswersPerSecond, $"{s}:UnauthenticatedAnswerBurst", options.UnauthenticatedAnswerBurst, errors);
        CheckRate($"{s}:UnauthenticatedAnswersPerPrefixPerSecond", options.UnauthenticatedAnswersPerPrefixPerSecond, $"{s}:UnauthenticatedAnswerPrefixBurst", options.UnauthenticatedAnswerPrefixBurst, errors);
        if (options.MaxRequestsInFlightPerSource < 0)
            errors.Add($"{s}:MaxRequestsInFlightPerSource {options.MaxRequestsInFlightPerSource} must be 0 (no per-source limit) or more.");
        if (options.MaxRequestsInFlightPerPrefix < 0)
            errors.Add($"{s}:MaxRequestsInFlightPerPrefix {options.MaxRequestsInFlightPerPrefix} must be 0 (no per-prefix limit) or more.");
    }

    private static void CheckRate(string rateKey, int rate, string burstKey, int burst, List<string> errors)
    {
        if (rate is < 0 or > MaxBurst) errors.Add($"{rateKey} {rate} must be 0 (no limit) to {MaxBurst}.");
        if (rate > 0 && burst is < 1 or > MaxBurst) errors.Add($"{burstKey} {burst} must be 1-{MaxBurst} while {rateKey} is set.");
    }
}
