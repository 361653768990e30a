using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClusterTemplate.Primary.Probes;

/// <summary>
/// The probes' short JSON body, on success and failure alike: the status, what the checks measured
/// (<c>"ready": 2, "total": 2, "minReady": 1, "stopping": false</c>), and each check's status and why.
/// </summary>
internal static class ProbeResponseWriter
{
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";

        // Written to a buffer first: the writer flushes synchronously, which Kestrel refuses.
        var body = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(body))
        {
            Write(json, report);
        }

        await context.Response.Body.WriteAsync(body.WrittenMemory, context.RequestAborted);
    }

    private static void Write(Utf8JsonWriter json, HealthReport report)
    {
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        foreach (var (key, value) in report.Entries.Values.SelectMany(entry => entry.Data))
        {
            json.WritePropertyName(key);
            JsonSerializer.Serialize(json, value, value.GetType());
        }

        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            if (entry.Description is { } description)
            {
                json.WriteString("description", description);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }
}
