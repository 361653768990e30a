using ClusterTemplate.Primary.Processes;

namespace ClusterTemplate.Tests.Fakes;

/// <summary>A worker "process" the test ends by hand; by default it exits when asked to stop.</summary>
internal sealed class FakeWorkerProcess(int processId, WorkerLaunchSpec spec) : IWorkerProcess
{
    private readonly TaskCompletionSource<WorkerExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int ProcessId { get; } = processId;

    public WorkerLaunchSpec Spec { get; } = spec;

    public Task<WorkerExit> Exited => _exited.Task;

    public IReadOnlyList<string> RecentOutput => ["fake output"];

    /// <summary>Whether the process ignores SIGTERM, as a hung one does.</summary>
    public bool IgnoresStopRequests { get; set; }

    public int StopRequests { get; private set; }

    public bool Killed { get; private set; }

    public bool Ready { get; set; } = true;

    /// <summary>The port its status report names, or <see langword="null"/> for a status probe that does not answer (a timeout).</summary>
    public int? ReportedPort { get; set; } = 8080;

    /// <summary>Whether the process makes progress; a hung one stops beating.</summary>
    public bool Alive { get; set; } = true;

    public DateTimeOffset? LastHeartbeat { get; set; }

    public void Exit(int exitCode) => _exited.TrySetResult(new WorkerExit(exitCode));

    public void RequestStop()
    {
        StopRequests++;
        if (!IgnoresStopRequests)
        {
            Exit(0);
        }
    }

    public void Kill()
    {
        Killed = true;
        Exit(137);
    }

    public void Dispose()
    {
    }
}
