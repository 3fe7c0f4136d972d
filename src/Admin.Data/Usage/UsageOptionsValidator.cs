using Microsoft.Extensions.Options;

namespace Admin.Data.Usage;

/// <summary>Stops start-up with a message naming the bad Usage key.</summary>
internal sealed class UsageOptionsValidator : IValidateOptions<UsageOptions>
{
    public ValidateOptionsResult Validate(string? name, UsageOptions options) =>
        options.Validate() is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
}
