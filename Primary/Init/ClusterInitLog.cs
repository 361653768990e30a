namespace ClusterTemplate.Primary.Init;

/// <summary>The init run's log lines.</summary>
internal static partial class ClusterInitLog
{
    [LoggerMessage(1, LogLevel.Information, "Cluster init started (pid {ProcessId}) before the {Occasion}", EventName = "ClusterInitStarted")]
    public static partial void Started(ILogger logger, int processId, string occasion);

    [LoggerMessage(2, LogLevel.Information, "Cluster init (pid {ProcessId}) completed in {Seconds:0.0} s", EventName = "ClusterInitCompleted")]
    public static partial void Completed(ILogger logger, int processId, double seconds);

    [LoggerMessage(3, LogLevel.Error, "{Message}", EventName = "ClusterInitFailed")]
    public static partial void Failed(ILogger logger, string message);
}
