using System.Globalization;

namespace ClusterTemplate.Primary.Processes;

/// <summary>Who started whom, from Linux's <c>/proc</c>: whether a process is a worker or runs under one.</summary>
internal static class ProcessLineage
{
    // Deep enough for a wrapper script or two between the worker program and the process that listens.
    private const int MaxDepth = 16;

    /// <summary>Whether <paramref name="processId"/> is <paramref name="ancestorId"/> or one of its descendants.</summary>
    public static bool IsSelfOrDescendant(int processId, int ancestorId)
    {
        var current = processId;
        for (var depth = 0; depth < MaxDepth && current > 1; depth++)
        {
            if (current == ancestorId)
            {
                return true;
            }

            if (!TryReadParent(current, out current))
            {
                return false;
            }
        }

        return false;
    }

    private static bool TryReadParent(int processId, out int parentId)
    {
        parentId = 0;
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        // "pid (command) state ppid ...": the command may hold spaces and parentheses, so read after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 1 && int.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out parentId);
    }
}
