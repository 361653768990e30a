using System.Globalization;
using ClusterTemplate.Shared.Control;

namespace ClusterTemplate.Primary.Hosting.Systemd;

/// <summary>The <c>STATUS=</c> lines <c>systemctl status</c> shows: one line each, about the workers and the last reload.</summary>
internal static class SystemdStatusText
{
    // A failure's message ends with the replacement's last output, which the log has in full.
    private const int MaxReloadMessage = 160;

    public static string Starting(int workers, int port, string mode) =>
        string.Create(CultureInfo.InvariantCulture, $"starting {workers} workers on port {port}, mode {mode}");

    public static string Workers(IReadOnlyList<WorkerSnapshot> workers, int port, string mode, bool reloading, string? lastReload)
    {
        var ready = workers.Count(worker => worker.Ready);
        var status = string.Create(CultureInfo.InvariantCulture, $"{ready} of {workers.Count} workers ready on port {port}, mode {mode}");
        if (reloading)
        {
            status = "reloading (rolling restart): " + status;
        }

        return lastReload is null ? status : status + "; " + lastReload;
    }

    public static string LastReload(ClusterOperationResult result)
    {
        var message = result.Message.Length <= MaxReloadMessage ? result.Message : result.Message[..MaxReloadMessage] + "...";
        return (result.Succeeded ? "last reload succeeded: " : "last reload FAILED: ") + message;
    }

    public static string Stopping(int workers) => string.Create(CultureInfo.InvariantCulture, $"stopping: draining {workers} workers");
}
