using System.Globalization;
using System.Text.Json;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.Shared.Control;

namespace ClusterTemplate.Primary.Control;

/// <summary>
/// The command-line client of a running primary: <c>status</c>, <c>reload</c>, <c>scale &lt;n&gt;</c>,
/// <c>restart &lt;worker-id&gt;</c>. It finds the primary by port (<c>--port</c>, else the configured one); given neither
/// <c>--port</c> nor a runtime folder, and with no primary on the configured port, it takes the one primary of this user
/// that runs (an AppHost's cluster on another port), saying so, and refuses with their ports when several run.
/// </summary>
public static class ControlCommandLine
{
    /// <summary>
    /// Runs one command, already parsed, against the primary the <paramref name="settings"/> point at; returns the
    /// process exit code (0 done, 1 failed or no primary, 2 bad usage). <paramref name="portGiven"/>: the command line
    /// named the primary (<c>--port</c> or <c>--runtime-directory</c>), so no other is looked for. <paramref name="json"/>:
    /// <c>status</c> prints the <see cref="ClusterStatus"/> as JSON instead of the table.
    /// </summary>
    internal static async Task<int> RunAsync(ControlVerb verb, int argument, IConfiguration settings, bool portGiven, TextWriter output, TextWriter error, bool json = false)
    {
        if (!int.TryParse(settings["Cluster:Port"] ?? ClusterOptions.DefaultPort.ToString(CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            await error.WriteLineAsync("error: " + ClusterSettingRules.Port.Describe(settings["Cluster:Port"]));
            return 2;
        }

        var socket = ControlSocket.PathIn(ClusterRuntimeDirectory.Resolve(settings["Cluster:RuntimeDirectory"], port));
        if (!File.Exists(socket))
        {
            var running = portGiven || settings["Cluster:RuntimeDirectory"] is not null ? [] : RunningPrimaries.Find();
            if (running.Count != 1)
            {
                await error.WriteLineAsync(running.Count == 0
                    ? $"error: no primary is running on port {port} (no control socket at {socket}); start one, or pass --port"
                    : $"error: no primary is running on port {port}, and {running.Count} others are, on ports {string.Join(", ", running.Select(primary => primary.Port))}; pass --port");
                return 1;
            }

            await error.WriteLineAsync($"using the primary on port {running[0].Port}, the only one running (none on port {port})");
            (port, socket) = running[0];
        }

        using var client = UnixDomainSocketHttp.CreateClient(socket, authority: "primary");
        try
        {
            if (verb == ControlVerb.Status)
            {
                var status = await client.GetFromJsonAsync<ClusterStatus>(verb.Route(argument), ControlJson.Options);
                await output.WriteAsync(json
                    ? JsonSerializer.Serialize(status, ControlJson.Options) + Environment.NewLine
                    : WorkerTableFormatter.Format(status!, DateTimeOffset.UtcNow));
                return 0;
            }

            using var response = await client.PostAsync(verb.Route(argument), content: null);
            var result = await response.Content.ReadFromJsonAsync<ClusterOperationResult>(ControlJson.Options);
            if (result is { Succeeded: true })
            {
                await output.WriteLineAsync(result.Message);
                return 0;
            }

            await error.WriteLineAsync($"error: {verb.Name} failed: {result?.Message ?? response.ReasonPhrase}");
            return 1;
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or JsonException)
        {
            await error.WriteLineAsync($"error: cannot reach the primary on port {port} at {socket}: {exception.Message}");
            return 1;
        }
    }
}
