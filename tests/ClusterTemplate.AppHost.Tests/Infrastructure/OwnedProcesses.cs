using System.Globalization;

namespace ClusterTemplate.AppHost.Tests.Infrastructure;

/// <summary>
/// The processes a test's AppHost started, read from /proc: DCP (which detaches itself but watches the
/// test process with <c>--monitor &lt;pid&gt;</c>), everything DCP started, and any other child of the test process.
/// </summary>
internal static class OwnedProcesses
{
    /// <summary>One process, identified by pid and start time so a reused pid is not mistaken for it.</summary>
    public readonly record struct Entry(int ProcessId, long StartTicks, string CommandLine);

    public static IReadOnlyList<Entry> Snapshot(int rootProcessId)
    {
        var all = ReadAll();
        var monitorFlag = "--monitor " + rootProcessId.ToString(CultureInfo.InvariantCulture);
        var roots = all.Values
            .Where(p => p.ProcessId == rootProcessId || (p.CommandLine.Contains("dcp", StringComparison.Ordinal) && p.CommandLine.Contains(monitorFlag + " ", StringComparison.Ordinal)) || p.CommandLine.EndsWith(monitorFlag, StringComparison.Ordinal))
            .Select(p => p.ProcessId)
            .ToHashSet();

        var owned = new Dictionary<int, Entry>();
        var queue = new Queue<int>(roots);
        while (queue.TryDequeue(out var parent))
        {
            foreach (var child in all.Values.Where(p => p.ParentId == parent))
            {
                if (owned.TryAdd(child.ProcessId, new Entry(child.ProcessId, child.StartTicks, child.CommandLine)))
                {
                    queue.Enqueue(child.ProcessId);
                }
            }
        }

        foreach (var root in roots.Where(pid => pid != rootProcessId))
        {
            owned.TryAdd(root, new Entry(root, all[root].StartTicks, all[root].CommandLine));
        }

        return [.. owned.Values];
    }

    public static bool IsAlive(Entry entry) =>
        ReadOne(entry.ProcessId) is { } current && current.StartTicks == entry.StartTicks && !current.IsZombie;

    public static bool IsAlive(int processId) => ReadOne(processId) is { IsZombie: false };

    private sealed record ProcInfo(int ProcessId, int ParentId, long StartTicks, bool IsZombie, string CommandLine);

    private static Dictionary<int, ProcInfo> ReadAll()
    {
        var result = new Dictionary<int, ProcInfo>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && ReadOne(pid) is { } info)
            {
                result[pid] = info;
            }
        }

        return result;
    }

    private static ProcInfo? ReadOne(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");

            // The command name in parentheses may hold spaces: the fields start after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var state = fields[0];
            var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
            var startTicks = long.Parse(fields[19], CultureInfo.InvariantCulture);
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
            return new ProcInfo(pid, parent, startTicks, state == "Z", commandLine);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
