using System.Globalization;
using System.Runtime.Versioning;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>The TCP ports a process listens on, read from <c>/proc</c>: its socket inodes matched against the kernel's LISTEN table.</summary>
[SupportedOSPlatform("linux")]
internal static class TcpListeners
{
    private const string ListenState = "0A";

    public static IReadOnlyList<int> Of(int processId)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var descriptor in Directory.EnumerateFileSystemEntries($"/proc/{processId}/fd"))
        {
            if (new FileInfo(descriptor).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
            {
                inodes.Add(target["socket:[".Length..^1]);
            }
        }

        // Columns: sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
        return [.. new[] { "/proc/net/tcp", "/proc/net/tcp6" }
            .SelectMany(table => File.ReadLines(table).Skip(1))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(columns => columns.Length > 9 && columns[3] == ListenState && inodes.Contains(columns[9]))
            .Select(columns => int.Parse(columns[1].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture))];
    }
}
