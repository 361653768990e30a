using System.Text.RegularExpressions;

namespace ClusterTemplate.Primary.Configuration;

/// <summary>Turns a setting the configuration binder cannot read into the same one-line message a rule gives.</summary>
public static partial class SettingErrors
{
    /// <summary>
    /// Turns the configuration binder's "Failed to convert configuration value at 'Cluster:Workers'"
    /// into "Cluster:Workers must be a whole number in 1..256 (got 'many')."
    /// </summary>
    public static bool TryDescribeBindingFailure(Exception exception, IConfiguration configuration, out string message)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (BindingFailure().Match(current.Message) is { Success: true } match)
            {
                var setting = match.Groups["setting"].Value;
                var value = configuration[setting];
                message = ClusterSettingRules.Find(setting)?.Describe(value) ?? $"{setting} cannot be read (got '{value}').";
                return true;
            }
        }

        message = "";
        return false;
    }

    [GeneratedRegex("Failed to convert configuration value .* at '(?<setting>[^']+)'")]
    private static partial Regex BindingFailure();
}
