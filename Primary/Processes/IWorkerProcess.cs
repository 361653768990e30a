namespace ClusterTemplate.Primary.Processes;

/// <summary>A running worker process, as the supervisor sees it.</summary>
public interface IWorkerProcess : IDisposable
{
    /// <summary>The operating system's process id.</summary>
    int ProcessId { get; }

    /// <summary>Completes when the process has exited.</summary>
    Task<WorkerExit> Exited { get; }

    /// <summary>Asks the worker to stop gracefully (SIGTERM): stop accepting, finish in-flight requests, exit.</summary>
    void RequestStop();

    /// <summary>Ends the process at once (SIGKILL).</summary>
    void Kill();

    /// <summary>The last lines the worker wrote, newest last, for failure reports.</summary>
    IReadOnlyList<string> RecentOutput { get; }
}
