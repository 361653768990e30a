using System.Globalization;
using Microsoft.Extensions.Hosting.Systemd;

namespace ClusterTemplate.Primary.Hosting.Systemd;

/// <summary>The sd_notify messages the primary sends: newline-separated assignments, one datagram each.</summary>
internal static class SystemdMessages
{
    public static ServiceState Ready(string status) => new("READY=1\nSTATUS=" + OneLine(status));

    public static ServiceState Status(string status) => new("STATUS=" + OneLine(status));

    /// <summary>The notify-reload protocol (systemd 253+): RELOADING=1 with the time the reload started on CLOCK_MONOTONIC.</summary>
    public static ServiceState Reloading(long monotonicMicroseconds, string status) =>
        new(string.Create(CultureInfo.InvariantCulture, $"RELOADING=1\nMONOTONIC_USEC={monotonicMicroseconds}\nSTATUS={OneLine(status)}"));

    public static ServiceState Stopping(string status) => new("STOPPING=1\nSTATUS=" + OneLine(status));

    public static ServiceState Watchdog { get; } = new("WATCHDOG=1");

    // A line break would start another assignment.
    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
