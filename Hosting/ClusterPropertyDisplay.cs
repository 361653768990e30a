using System.Collections.Immutable;

namespace ClusterTemplate.Hosting;

/// <summary>
/// How the dashboard shows each property of a worker row and the cluster's own: a label, whether it is shown without "show all"
/// (the dashboard hides properties it does not know unless they are highlighted), and its place in the list.
/// </summary>
internal static class ClusterPropertyDisplay
{
    private static readonly Dictionary<string, (string DisplayName, bool IsHighlighted)> s_display = new()
    {
        [ClusterWorkerProperties.ProcessId] = ("Process ID", true),
        [ClusterWorkerProperties.WorkerId] = ("Worker", true),
        [ClusterWorkerProperties.Generation] = ("Generation", true),
        [ClusterWorkerProperties.Health] = ("Probe health", true),
        [ClusterWorkerProperties.Ready] = ("Ready", true),
        [ClusterWorkerProperties.Restarts] = ("Restarts", true),
        [ClusterWorkerProperties.WorkingSet] = ("Memory (working set)", true),
        [ClusterWorkerProperties.RequestsServed] = ("Requests served", true),
        [ClusterWorkerProperties.Port] = ("Port", true),
        [ClusterWorkerProperties.LastExitReason] = ("Last exit", true),
        [ClusterWorkerProperties.LastEvent] = ("Last event", true),
        [ClusterWorkerProperties.WorkingSetBytes] = ("Working set (bytes)", false),
        [ClusterPrimaryRow.LauncherProcessId] = ("Launcher process ID (dotnet run)", true),
    };

    private static readonly string[] s_order = [.. s_display.Keys];

    /// <summary>The property <paramref name="name"/> with value <paramref name="value"/> and its display metadata.</summary>
    public static ResourcePropertySnapshot Create(string name, object? value)
    {
        if (!s_display.TryGetValue(name, out var display))
        {
            return new ResourcePropertySnapshot(name, value);
        }

        return new ResourcePropertySnapshot(name, value)
        {
            DisplayName = display.DisplayName,
            IsHighlighted = display.IsHighlighted,
            SortOrder = Array.IndexOf(s_order, name),
        };
    }

    /// <summary>
    /// <paramref name="properties"/> with <paramref name="name"/> set to <paramref name="value"/>, keeping the
    /// display metadata of the one it replaces; the same array when the value is unchanged.
    /// </summary>
    public static ImmutableArray<ResourcePropertySnapshot> Set(this ImmutableArray<ResourcePropertySnapshot> properties, string name, object? value)
    {
        for (var i = 0; i < properties.Length; i++)
        {
            if (properties[i].Name == name)
            {
                return Equals(properties[i].Value, value) ? properties : properties.SetItem(i, properties[i] with { Value = value });
            }
        }

        return properties.Add(Create(name, value));
    }
}
