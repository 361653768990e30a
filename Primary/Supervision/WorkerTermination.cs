namespace ClusterTemplate.Primary.Supervision;

/// <summary>How the primary ends a worker process: SIGTERM first, SIGKILL if it outlives its grace.</summary>
internal static class WorkerTermination
{
    /// <summary>SIGTERM, then SIGKILL if the process is still there after <paramref name="grace"/>; without a grace, SIGKILL at once.</summary>
    public static async Task TerminateAsync(this WorkerInstance instance, TimeSpan grace, TimeProvider time, ILogger logger)
    {
        if (grace > TimeSpan.Zero)
        {
            instance.Process.RequestStop();
            using var timeout = new CancellationTokenSource(grace, time);
            await ((Task)instance.Process.Exited).WaitAsync(timeout.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (!instance.Process.Exited.IsCompleted)
        {
            SupervisionLog.Killing(logger, instance.WorkerId, instance.Process.ProcessId, grace.TotalSeconds);
            instance.Process.Kill();
            await instance.Process.Exited.ConfigureAwait(false);
        }
    }
}
