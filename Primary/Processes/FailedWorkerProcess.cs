namespace ClusterTemplate.Primary.Processes;

/// <summary>
/// A worker whose program could not be started (missing, not executable, out of resources): it has
/// already "exited" with the operating system's error, so the supervisor handles it like any other
/// unplanned exit, with backoff and the crash-loop guard.
/// </summary>
internal sealed class FailedWorkerProcess(string error) : IWorkerProcess
{
    /// <summary>No process: 0.</summary>
    public int ProcessId => 0;

    public Task<WorkerExit> Exited { get; } = Task.FromResult(WorkerExit.NotStarted(error));

    public IReadOnlyList<string> RecentOutput => [];

    public void RequestStop()
    {
    }

    public void Kill()
    {
    }

    public void Dispose()
    {
    }
}
