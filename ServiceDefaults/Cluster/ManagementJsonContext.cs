using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClusterTemplate.ServiceDefaults.Cluster;

/// <summary>
/// The management endpoints' JSON, generated at compile time: no reflection, so a Native AOT worker serves it too.
/// Its own web-style options: the primary reads these fields by name, and the app's JSON options must not rename them.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(WorkerStatusReport))]
internal sealed partial class ManagementJsonContext : JsonSerializerContext;
