using System.Text.Json;

namespace ClusterTemplate.Template.Tests.Infrastructure;

/// <summary>The template-controlled values of a <c>Cluster</c> settings section; <see langword="null"/> when unset.</summary>
internal sealed record ClusterSettings(int? Workers, int? Port, string? Mode)
{
    /// <summary>How the app reads its settings files: comments and trailing commas allowed.</summary>
    public static readonly JsonDocumentOptions AppSettingsJson = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Reads the <c>Cluster</c> section of a settings file; <see langword="null"/> when there is none.</summary>
    public static ClusterSettings? Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path), AppSettingsJson);
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("Cluster", out var cluster)
            || cluster.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return new ClusterSettings(
            cluster.TryGetProperty("Workers", out var workers) ? workers.GetInt32() : null,
            cluster.TryGetProperty("Port", out var port) ? port.GetInt32() : null,
            cluster.TryGetProperty("Mode", out var mode) ? mode.GetString() : null);
    }
}
