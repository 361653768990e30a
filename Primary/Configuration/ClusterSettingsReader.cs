using System.Collections;
using System.Reflection;

namespace ClusterTemplate.Primary.Configuration;

/// <summary>
/// Binds the <c>Cluster</c> section with the configuration binder one setting at a time, so that every value
/// it cannot read and every key that names no setting is reported, together with the rules' failures, where
/// the binder alone would stop at the first. A setting that cannot be read keeps its default.
/// </summary>
internal static class ClusterSettingsReader
{
    /// <summary>Binds <paramref name="section"/> onto <paramref name="options"/> and records what it could not read.</summary>
    public static void Read(IConfigurationSection section, ClusterOptions options)
    {
        var errors = new List<SettingReadError>();
        Bind(section, options, errors);
        options.ReadErrors = errors;
    }

    private static void Bind(IConfigurationSection section, object target, List<SettingReadError> errors)
    {
        var settings = SettingsOf(target.GetType());
        foreach (var child in section.GetChildren())
        {
            var setting = settings.FirstOrDefault(property => string.Equals(property.Name, child.Key, StringComparison.OrdinalIgnoreCase));
            if (setting is null)
            {
                errors.Add(new(child.Path, $"{child.Path} is not a setting; {section.Path} has {string.Join(", ", settings.Select(property => property.Name))}."));
            }
            else if (IsGroup(setting.PropertyType))
            {
                var group = setting.GetValue(target) ?? Activator.CreateInstance(setting.PropertyType)!;
                Bind(child, group, errors);
                setting.SetValue(target, group);
            }
            else
            {
                try
                {
                    if (child.Get(setting.PropertyType) is { } value)
                    {
                        setting.SetValue(target, value);
                    }
                }
                catch (InvalidOperationException)
                {
                    errors.Add(new(child.Path, Describe(child, setting.PropertyType)));
                }
            }
        }
    }

    /// <summary>What the binder binds: public properties with a public setter, in the order they are declared.</summary>
    private static PropertyInfo[] SettingsOf(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(property => property.GetSetMethod() is not null && property.GetIndexParameters().Length == 0)];

    /// <summary>A group of settings (<c>Cluster:Health</c>) rather than one value or a collection of them.</summary>
    private static bool IsGroup(Type type) => type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type);

    private static string Describe(IConfigurationSection setting, Type type) =>
        ClusterSettingRules.Find(setting.Path)?.Describe(setting.Value) ?? $"{setting.Path} must be {Accepted(type)} (got '{setting.Value}').";

    private static string Accepted(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(TimeSpan) => "a time span such as 00:00:05",
        var t when t == typeof(bool) => "true or false",
        var t when t == typeof(int) || t == typeof(long) => "a whole number",
        var t when t == typeof(double) => "a number",
        var t => "readable as " + t.Name,
    };
}
