using Microsoft.Extensions.Options;

namespace Admin.Data.Quotas;

internal sealed class ClusterQuotaOptionsValidator : IValidateOptions<ClusterQuotaOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterQuotaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Validate() is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
    }
}
