using System.Globalization;
using System.Text.Json;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.Shared.Control;

namespace ClusterTemplate.Primary.Control;

/// <summary>
/// The command-line client of a running primary: <c>status</c>, <c>reload</c>, <c>scale &lt;n&gt;</c>,
/// <c>restart &lt;worker-id&gt;</c>. It finds the primary by port (<c>--port</c>, else the configured one).
/// </summary>
public static class ControlCommandLine
{
    /// <summary>
    /// Runs one command, already parsed, against the primary the <paramref name="settings"/> point at; returns the
    /// process exit code (0 done, 1 failed or no primary, 2 bad usage).
    /// </summary>
    internal static async Task<int> RunAsync(ControlVerb verb, int argument, IConfiguration settings, TextWriter output, TextWriter error)
    {
        if (!int.TryParse(settings["Cluster:Port"] ?? ClusterOptions.DefaultPort.ToString(CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            await error.WriteLineAsync("error: " + ClusterSettingRules.Port.Describe(settings["Cluster:Port"]));
            return 2;
        }

        var socket = ControlSocket.PathIn(ClusterRuntimeDirectory.Resolve(settings["Cluster:RuntimeDirectory"], port));
        if (!File.Exists(socket))
        {
            await error.WriteLineAsync($"error: no primary is running on port {port} (no control socket at {socket}); start one, or pass --port");
            return 1;
        }

        using var client = UnixDomainSocketHttp.CreateClient(socket, authority: "primary");
        try
        {
            if (verb == ControlVerb.Status)
            {
                var status = await client.GetFromJsonAsync<ClusterStatus>(verb.Route(argument), ControlJson.Options);
                await output.WriteAsync(WorkerTableFormatter.Format(status!, DateTimeOffset.UtcNow));
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
