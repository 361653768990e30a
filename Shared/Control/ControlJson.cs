using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClusterTemplate.Shared.Control;

/// <summary>
/// The JSON of the control API on both ends: the web defaults (camelCase names, case-insensitive reading)
/// with enums written as their names, so that <see cref="WorkerState"/> reads <c>"Running"</c> on the wire.
/// </summary>
public static class ControlJson
{
    /// <summary>Read-only options for clients of the control API.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>
    /// Adds the control API's settings to options that already start from the web defaults, such as
    /// ASP.NET Core's HTTP JSON options on the primary.
    /// </summary>
    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Converters.Add(new JsonStringEnumConverter());
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
