using System.Globalization;
using System.Text;
using ClusterTemplate.Shared.Control;

namespace ClusterTemplate.Primary.Control;

/// <summary>Renders the worker table for a terminal.</summary>
public static class WorkerTableFormatter
{
    private static readonly string[] s_headers = ["ID", "PID", "GEN", "STATE", "READY", "UPTIME", "RESTARTS", "REQUESTS", "MEMORY", "LAST EXIT"];

    /// <summary>A heading line and one aligned row per worker.</summary>
    public static string Format(ClusterStatus status, DateTimeOffset now)
    {
        var rows = status.Workers.Select(worker => new[]
        {
            worker.WorkerId.ToString(CultureInfo.InvariantCulture),
            worker.ProcessId > 0 ? worker.ProcessId.ToString(CultureInfo.InvariantCulture) : "-",
            worker.Generation.ToString(CultureInfo.InvariantCulture),
            worker.State.ToString(),
            worker.Ready ? "yes" : "no",
            worker.StartedAt is { } started ? Uptime(now - started) : "-",
            worker.Restarts.ToString(CultureInfo.InvariantCulture),
            worker.RequestsServed.ToString(CultureInfo.InvariantCulture),
            worker.WorkingSetBytes > 0 ? (worker.WorkingSetBytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB" : "-",
            worker.LastExitReason ?? "-",
        }).ToList();

        var widths = s_headers.Select((header, column) => Math.Max(header.Length, rows.Count == 0 ? 0 : rows.Max(row => row[column].Length))).ToArray();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Cluster on port {status.Port}, mode {status.Mode}, primary pid {status.ProcessId}: {status.Workers.Count} workers").AppendLine();
        AppendRow(text, s_headers, widths);
        foreach (var row in rows)
        {
            AppendRow(text, row, widths);
        }

        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            text.Append(i == cells.Length - 1 ? cells[i] : cells[i].PadRight(widths[i] + 2));
        }

        text.AppendLine();
    }

    private static string Uptime(TimeSpan uptime) =>
        uptime.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)uptime.TotalHours}h{uptime.Minutes:00}m")
            : string.Create(CultureInfo.InvariantCulture, $"{uptime.Minutes}m{uptime.Seconds:00}s");
}
