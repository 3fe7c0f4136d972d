using Microsoft.Extensions.Options;

namespace Admin.Data;

/// <summary>Stops start-up with a message naming the bad AdminData key.</summary>
internal sealed class AdminDataOptionsValidator : IValidateOptions<AdminDataOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminDataOptions options) =>
        options.Validate() is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
}
