namespace ClusterTemplate.Primary.Configuration;

/// <summary>The values of <c>Cluster:Init:When</c>.</summary>
public static class InitSchedule
{
    /// <summary>No init run: the app does its own start-up work in every worker.</summary>
    public const string Never = "never";

    /// <summary>One init run before the workers start with the primary.</summary>
    public const string Start = "start";

    /// <summary>One init run before the workers start, and one before each rolling restart.</summary>
    public const string EveryRollout = "every-rollout";

    /// <summary>The accepted values, for error messages.</summary>
    public const string AcceptedValues = "never, start or every-rollout";

    /// <summary>Whether <paramref name="when"/> is an accepted value (case-insensitive).</summary>
    public static bool IsKnown(string? when) => RunsAtStart(when) || string.Equals(when, Never, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the init runs before the workers start.</summary>
    public static bool RunsAtStart(string? when) => RunsBeforeRollouts(when) || string.Equals(when, Start, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the init runs before each rolling restart.</summary>
    public static bool RunsBeforeRollouts(string? when) => string.Equals(when, EveryRollout, StringComparison.OrdinalIgnoreCase);
}
