namespace ClusterTemplate.Primary.Supervision;

/// <summary>The supervision log: every line the supervisor, its monitor and its operations write, under one category.</summary>
internal static partial class SupervisionLog
{
    [LoggerMessage(0, LogLevel.Information, "Primary {ProcessId} is running: {Workers} workers on port {Port}, mode {Mode} ({Why})", EventName = "PrimaryRunning")]
    public static partial void PrimaryRunning(ILogger logger, int processId, int workers, int port, string mode, string why);

    [LoggerMessage(1, LogLevel.Information, "Worker {WorkerId} started (pid {ProcessId}, generation {Generation})", EventName = "WorkerStarted")]
    public static partial void WorkerStarted(ILogger logger, int workerId, int processId, int generation);

    [LoggerMessage(2, LogLevel.Information, "Worker {WorkerId} (pid {ProcessId}) listening on {Endpoint}", EventName = "WorkerListening")]
    public static partial void WorkerListening(ILogger logger, int workerId, int processId, string endpoint);

    [LoggerMessage(3, LogLevel.Warning, "Worker {WorkerId} (pid {ProcessId}) exited unexpectedly: {Reason} after {UptimeSeconds:0.0} s", EventName = "WorkerExited")]
    public static partial void WorkerExited(ILogger logger, int workerId, int processId, string reason, double uptimeSeconds);

    [LoggerMessage(4, LogLevel.Information, "Worker {WorkerId} restarting in {DelayMilliseconds:0} ms (crash {ConsecutiveCrashes} in a row)", EventName = "WorkerRestarting")]
    public static partial void Restarting(ILogger logger, int workerId, double delayMilliseconds, int consecutiveCrashes);

    [LoggerMessage(5, LogLevel.Error, "Worker {WorkerId} is in a crash loop (more than {MaxRestarts} restarts in {WindowSeconds:0} s): marked failed, retrying every {RetrySeconds:0.#} s", EventName = "WorkerFailed")]
    public static partial void CrashLoop(ILogger logger, int workerId, int maxRestarts, double windowSeconds, double retrySeconds);

    [LoggerMessage(6, LogLevel.Warning, "Worker {WorkerId} (pid {ProcessId}) is unhealthy: {Reason}; replacing it", EventName = "WorkerUnhealthy")]
    public static partial void WorkerUnhealthy(ILogger logger, int workerId, int processId, string reason);

    [LoggerMessage(7, LogLevel.Warning, "Worker {WorkerId} (pid {ProcessId}) failed to start: {Reason}", EventName = "WorkerStartTimedOut")]
    public static partial void StartTimedOut(ILogger logger, int workerId, int processId, string reason);

    [LoggerMessage(8, LogLevel.Warning, "Worker {WorkerId} (pid {ProcessId}) killed (SIGKILL) after a grace of {GraceSeconds:0.#} s", EventName = "WorkerKilled")]
    public static partial void Killing(ILogger logger, int workerId, int processId, double graceSeconds);

    [LoggerMessage(9, LogLevel.Information, "Worker {WorkerId} (pid {ProcessId}) stopping: draining in-flight requests", EventName = "WorkerStopping")]
    public static partial void WorkerStopping(ILogger logger, int workerId, int processId);

    [LoggerMessage(10, LogLevel.Information, "Worker {WorkerId} (pid {ProcessId}) stopped: {Exit}", EventName = "WorkerStopped")]
    public static partial void WorkerStopped(ILogger logger, int workerId, int processId, string exit);

    [LoggerMessage(11, LogLevel.Information, "Stopping {Count} workers: draining for up to {DrainSeconds:0.#} s", EventName = "ClusterDraining")]
    public static partial void Draining(ILogger logger, int count, double drainSeconds);

    [LoggerMessage(12, LogLevel.Information, "Replacing worker {WorkerId} (pid {OldProcessId}) with pid {NewProcessId}: {Reason}", EventName = "WorkerReplacing")]
    public static partial void Replacing(ILogger logger, int workerId, int oldProcessId, int newProcessId, string reason);

    [LoggerMessage(13, LogLevel.Error, "Replacement of worker {WorkerId} failed: {Failure}", EventName = "WorkerReplacementFailed")]
    public static partial void ReplacementFailed(ILogger logger, int workerId, string failure);

    [LoggerMessage(14, LogLevel.Information, "Rolling restart of {Count} workers started", EventName = "RolloutStarted")]
    public static partial void RolloutStarting(ILogger logger, int count);

    [LoggerMessage(15, LogLevel.Information, "Rolling restart of {Count} workers completed", EventName = "RolloutCompleted")]
    public static partial void RolloutCompleted(ILogger logger, int count);

    [LoggerMessage(16, LogLevel.Error, "{Message}", EventName = "RolloutFailed")]
    public static partial void RolloutFailed(ILogger logger, string message);

    [LoggerMessage(20, LogLevel.Information, "Worker {WorkerId} (pid {ProcessId}) is recycled: {Reason}; replacing it the rolling way", EventName = "WorkerRecycling")]
    public static partial void Recycling(ILogger logger, int workerId, int processId, string reason);

    [LoggerMessage(21, LogLevel.Warning, "Worker {WorkerId} could not be started (generation {Generation}): {Error}", EventName = "WorkerStartFailed")]
    public static partial void StartFailed(ILogger logger, int workerId, int generation, string error);

    [LoggerMessage(19, LogLevel.Information, "Operation {Operation} finished: succeeded={Succeeded}, {Message}", EventName = "OperationCompleted")]
    public static partial void OperationCompleted(ILogger logger, string operation, bool succeeded, string message);

    [LoggerMessage(18, LogLevel.Information, "Worker {WorkerId} (pid {ProcessId}) is {Readiness}", EventName = "WorkerReadinessChanged")]
    public static partial void ReadinessChanged(ILogger logger, int workerId, int processId, string readiness);

    [LoggerMessage(17, LogLevel.Information, "Scaling from {Before} to {After} workers", EventName = "Scaling")]
    public static partial void Scaling(ILogger logger, int before, int after);
}
