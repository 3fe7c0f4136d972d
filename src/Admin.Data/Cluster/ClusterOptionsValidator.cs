using Microsoft.Extensions.Options;

namespace Admin.Data.Cluster;

/// <summary>Stops start-up with a message naming the bad Cluster key.</summary>
public sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options) =>
        options.Validate() is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
}
