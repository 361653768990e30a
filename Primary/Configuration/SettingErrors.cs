using ClusterTemplate.ServiceDefaults.Cluster;
namespace ClusterTemplate.Primary.Configuration;

/// <summary>One-line messages for settings that are out of range or cannot be read.</summary>
public static partial class SettingErrors
{
    private static readonly Dictionary<string, string> s_accepted = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Cluster:Workers"] = $"a whole number in {ClusterOptions.MinWorkers}..{ClusterOptions.MaxWorkers}",
        ["Cluster:Port"] = "a whole number in 1..65535",
        ["Cluster:Mode"] = ClusterListenerModes.AcceptedValues,
        ["Cluster:DrainTimeout"] = "a positive time span such as 00:00:30",
        ["Cluster:ShareProcessors"] = "true or false",
        ["Cluster:EnableListenerMigration"] = "true or false",
        ["Cluster:LoadBalancing"] = Proxy.LoadBalancingPolicies.AcceptedValues,
        ["Cluster:DeregistrationDelay"] = "a time span of zero or more, such as 00:00:00.200",
        ["Cluster:Restart:BaseDelay"] = "a time span of zero or more, such as 00:00:00.100",
        ["Cluster:Restart:Factor"] = "a number of 1 or more",
        ["Cluster:Restart:MaxDelay"] = "a time span no shorter than Cluster:Restart:BaseDelay",
        ["Cluster:Restart:StableAfter"] = "a time span such as 00:00:30",
        ["Cluster:Restart:CrashLoopMaxRestarts"] = "a whole number of 1 or more",
        ["Cluster:Restart:CrashLoopWindow"] = "a time span such as 00:01:00",
        ["Cluster:Recycle:MaxRequests"] = "a whole number of 0 (off) or more",
        ["Cluster:Recycle:MaxRequestsJitter"] = "a whole number of 0 or more",
        ["Cluster:Recycle:MemoryLimitMegabytes"] = "a whole number of 0 (off) or more",
        ["Cluster:Health:Interval"] = "a positive time span such as 00:00:02",
        ["Cluster:Health:Timeout"] = "a positive time span such as 00:00:02",
        ["Cluster:Health:FailureThreshold"] = "a whole number of 1 or more",
        ["Cluster:Health:StartupTimeout"] = "a positive time span such as 00:00:30",
    };

    /// <summary>"<c>Cluster:Workers</c> must be a whole number in 1..256 (got 'abc')."</summary>
    public static string Describe(string setting, string? value)
    {
        var accepted = s_accepted.TryGetValue(setting, out var text) ? text : "a valid value";
        return $"{setting} must be {accepted} (got '{value}').";
    }

    /// <summary>The same for a value that is formatted invariantly (a number, a time span).</summary>
    public static string Describe(string setting, IFormattable value) =>
        Describe(setting, value.ToString(null, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// Turns the configuration binder's "Failed to convert configuration value at 'Cluster:Workers'"
    /// into the same one-line message a range error gets.
    /// </summary>
    public static bool TryDescribeBindingFailure(Exception exception, Microsoft.Extensions.Configuration.IConfiguration configuration, out string message)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (BindingFailure().Match(current.Message) is { Success: true } match)
            {
                var setting = match.Groups["setting"].Value;
                message = Describe(setting, configuration[setting]);
                return true;
            }
        }

        message = "";
        return false;
    }

    [System.Text.RegularExpressions.GeneratedRegex("Failed to convert configuration value .* at '(?<setting>[^']+)'")]
    private static partial System.Text.RegularExpressions.Regex BindingFailure();
}
