namespace ClusterTemplate.AppHost.Tests.Infrastructure;

/// <summary>How long each kind of wait may take before a test fails (generous: the machine has 2 shared cores).</summary>
internal static class TestBudgets
{
    /// <summary>AppHost start, DCP, the primary and every worker running and healthy.</summary>
    public static readonly TimeSpan Startup = TimeSpan.FromMinutes(3);

    /// <summary>A worker crash, hang or restart seen and recovered from.</summary>
    public static readonly TimeSpan Recovery = TimeSpan.FromSeconds(90);

    /// <summary>Telemetry exported and received.</summary>
    public static readonly TimeSpan Telemetry = TimeSpan.FromSeconds(60);

    /// <summary>Every process the AppHost started gone after it was disposed.</summary>
    public static readonly TimeSpan Cleanup = TimeSpan.FromSeconds(90);

    /// <summary>One HTTP request to the cluster.</summary>
    public static readonly TimeSpan Request = TimeSpan.FromSeconds(10);

    /// <summary>Pause between two polls of a condition that has no event to wait on.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
}
