using Microsoft.Extensions.Options;

namespace Admin.Web.Api;

/// <summary>Checks what data annotations cannot: the default lifetime must not exceed the maximum.</summary>
internal sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options) =>
        options.DefaultTtlSeconds > options.MaxTtlSeconds
            ? ValidateOptionsResult.Fail($"Api:DefaultTtlSeconds ({options.DefaultTtlSeconds}) must not exceed Api:MaxTtlSeconds ({options.MaxTtlSeconds}).")
            : ValidateOptionsResult.Success;
}
