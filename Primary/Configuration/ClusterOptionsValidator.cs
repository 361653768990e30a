using Microsoft.Extensions.Options;

namespace ClusterTemplate.Primary.Configuration;

/// <summary>
/// Checks the <c>Cluster</c> settings against <see cref="ClusterSettingRules"/> before anything starts, and reports
/// the settings that could not be read with them. Each failure is one line that names the setting, what it was
/// and what it accepts.
/// </summary>
internal sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        // A setting that could not be read kept its default: its rule would judge the default, not the value given.
        var failures = ClusterSettingRules.All
            .Select(rule => options.ReadErrors.FirstOrDefault(error => rule.Is(error.Setting))?.Message ?? rule.Validate(options))
            .OfType<string>()
            .Concat(options.ReadErrors.Where(error => ClusterSettingRules.Find(error.Setting) is null).Select(error => error.Message))
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
