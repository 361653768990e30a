using System.Globalization;

namespace ClusterTemplate.Primary.Configuration;

/// <summary>One rule of the <c>Cluster</c> settings: the setting, what it accepts in words, and the check.</summary>
/// <param name="Setting">The setting's path, <c>Cluster:Workers</c>.</param>
/// <param name="Accepted">What it accepts, as the error says it: "a whole number in 1..256".</param>
/// <param name="Value">Reads the setting's value from bound options.</param>
/// <param name="IsValid">Whether bound options satisfy the rule.</param>
internal sealed record SettingRule(string Setting, string Accepted, Func<ClusterOptions, object?> Value, Func<ClusterOptions, bool> IsValid)
{
    /// <summary>Whether the rule is that of <paramref name="setting"/> (case-insensitive, as configuration keys are).</summary>
    public bool Is(string setting) => string.Equals(Setting, setting, StringComparison.OrdinalIgnoreCase);

    /// <summary>The one-line error for bound options that break the rule, or <see langword="null"/>.</summary>
    public string? Validate(ClusterOptions options) => IsValid(options) ? null : Describe(Value(options));

    /// <summary>"<c>Cluster:Workers</c> must be a whole number in 1..256 (got '0')."</summary>
    public string Describe(object? value) =>
        $"{Setting} must be {Accepted} (got '{(value is IFormattable formattable ? formattable.ToString(null, CultureInfo.InvariantCulture) : value)}').";
}
