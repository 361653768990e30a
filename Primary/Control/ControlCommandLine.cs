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
    private static readonly string[] s_commands = ["status", "reload", "scale", "restart"];

    /// <summary>Whether the arguments ask for a client command rather than for running a primary.</summary>
    public static bool IsCommand(string[] args) => args.Length > 0 && s_commands.Contains(args[0], StringComparer.OrdinalIgnoreCase);

    /// <summary>Runs one command; returns the process exit code (0 done, 1 failed or no primary, 2 bad usage).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var command = args[0].ToLowerInvariant();
        var argument = args.Length > 1 && !args[1].StartsWith('-') ? args[1] : null;
        var options = args.Skip(argument is null ? 1 : 2).ToArray();

        var configuration = ClusterCommandLine.ReadSettings(options);
        if (!int.TryParse(configuration["Cluster:Port"] ?? ClusterOptions.DefaultPort.ToString(CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            await error.WriteLineAsync("error: " + ClusterSettingRules.Port.Describe(configuration["Cluster:Port"]));
            return 2;
        }

        string path;
        switch (command)
        {
            case "status":
            case "reload":
                path = command == "status" ? ControlRoutes.Status : ControlRoutes.Reload;
                break;
            case "scale" when int.TryParse(argument, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count):
                path = ControlRoutes.ScaleTo(count);
                break;
            case "restart" when int.TryParse(argument, NumberStyles.Integer, CultureInfo.InvariantCulture, out var workerId):
                path = ControlRoutes.RestartWorkerWithId(workerId);
                break;
            default:
                await error.WriteLineAsync($"error: usage: {command} {(command == "scale" ? $"<workers>, a whole number in {ClusterOptions.MinWorkers}..{ClusterOptions.MaxWorkers}" : "<worker-id>, a whole number")} [--port <port>] (got '{argument}')");
                return 2;
        }

        var socket = ControlSocket.PathIn(ClusterRuntimeDirectory.Resolve(configuration["Cluster:RuntimeDirectory"], port));
        if (!File.Exists(socket))
        {
            await error.WriteLineAsync($"error: no primary is running on port {port} (no control socket at {socket}); start one, or pass --port");
            return 1;
        }

        using var client = UnixDomainSocketHttp.CreateClient(socket, authority: "primary");
        try
        {
            if (command == "status")
            {
                var status = await client.GetFromJsonAsync<ClusterStatus>(path, ControlJson.Options);
                await output.WriteAsync(WorkerTableFormatter.Format(status!, DateTimeOffset.UtcNow));
                return 0;
            }

            using var response = await client.PostAsync(path, content: null);
            var result = await response.Content.ReadFromJsonAsync<ClusterOperationResult>(ControlJson.Options);
            if (result is { Succeeded: true })
            {
                await output.WriteLineAsync(result.Message);
                return 0;
            }

            await error.WriteLineAsync($"error: {command} failed: {result?.Message ?? response.ReasonPhrase}");
            return 1;
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or JsonException)
        {
            await error.WriteLineAsync($"error: cannot reach the primary on port {port} at {socket}: {exception.Message}");
            return 1;
        }
    }
}
