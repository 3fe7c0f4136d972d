using Microsoft.Extensions.Options;

namespace Admin.Web.Telemetry;

/// <summary>Stops start-up with a message naming the bad Metrics key.</summary>
internal sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options) =>
        options.Validate() is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
}
