using Microsoft.Extensions.Options;

namespace ClusterTemplate.Primary.Configuration;

/// <summary>
/// Checks the <c>Cluster</c> settings against <see cref="ClusterSettingRules"/> before anything starts.
/// Each failure is one line that names the setting, what it was and what it accepts.
/// </summary>
internal sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        var failures = ClusterSettingRules.All.Select(rule => rule.Validate(options)).OfType<string>().ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
