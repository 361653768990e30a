namespace ClusterTemplate.Primary.Configuration;

/// <summary>The values of <c>Cluster:AcceptBalance</c>: how the shared mode's workers share the one accept queue.</summary>
public static class AcceptBalanceModes
{
    /// <summary>A worker with more open connections than the least loaded other worker lets it take the next one: for long-lived connections.</summary>
    public const string Connections = "connections";

    /// <summary>Whichever worker is awake accepts, the kernel's own behaviour (the default): a burst of connections can all land on one worker.</summary>
    public const string None = "none";

    /// <summary>The accepted values, for error messages.</summary>
    public const string AcceptedValues = "connections or none";

    /// <summary>Whether <paramref name="value"/> is an accepted value (case-insensitive).</summary>
    public static bool IsKnown(string? value) =>
        string.Equals(value?.Trim(), Connections, StringComparison.OrdinalIgnoreCase) || string.Equals(value?.Trim(), None, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="value"/> asks for load-aware accepting.</summary>
    public static bool Balances(string? value) => string.Equals(value?.Trim(), Connections, StringComparison.OrdinalIgnoreCase);
}
