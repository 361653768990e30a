using System.Collections.Concurrent;
using ClusterTemplate.Primary.Health;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.ServiceDefaults.Cluster;

namespace ClusterTemplate.Tests.Fakes;

/// <summary>Launches <see cref="FakeWorkerProcess"/>es and answers their probes and heartbeats from their flags.</summary>
internal sealed class FakeWorkerLauncher(TimeProvider time) : IWorkerLauncher, IWorkerManagementClientFactory, IWorkerHeartbeats
{
    private readonly ConcurrentDictionary<string, FakeWorkerProcess> _byHeartbeat = new();

    private readonly ConcurrentQueue<FakeWorkerProcess> _started = new();
    private readonly ConcurrentDictionary<string, FakeWorkerProcess> _bySocket = new();
    private int _nextProcessId = 1000;

    /// <summary>Applied to every process before it is handed to the supervisor.</summary>
    public Action<FakeWorkerProcess>? OnStart { get; set; }

    /// <summary>When set, every start throws it, as <c>Process.Start</c> does for a program that cannot be run.</summary>
    public Exception? StartFailure { get; set; }

    public IReadOnlyList<FakeWorkerProcess> Started => [.. _started];

    public IWorkerProcess Start(WorkerLaunchSpec spec)
    {
        if (StartFailure is { } failure)
        {
            throw failure;
        }

        var process = new FakeWorkerProcess(Interlocked.Increment(ref _nextProcessId), spec);
        OnStart?.Invoke(process);
        _bySocket[spec.ManagementSocketPath] = process;
        if (spec.Environment.TryGetValue(ClusterEnvironment.HeartbeatFile, out var heartbeat))
        {
            // The init run has none.
            _byHeartbeat[heartbeat] = process;
        }

        _started.Enqueue(process);
        return process;
    }

    public IWorkerManagementClient Create(string socketPath, int processId) => new Client(() => _bySocket[socketPath]);

    /// <summary>A process that is <see cref="FakeWorkerProcess.Alive"/> beats whenever it is looked at; a hung one keeps its last beat.</summary>
    public DateTimeOffset? LastHeartbeat(string heartbeatPath)
    {
        var process = _byHeartbeat[heartbeatPath];
        if (process.Alive && !process.Exited.IsCompleted)
        {
            process.LastHeartbeat = time.GetUtcNow();
        }

        return process.LastHeartbeat;
    }

    private sealed class Client(Func<FakeWorkerProcess> process) : IWorkerManagementClient
    {
        public Task<bool?> IsReadyAsync(CancellationToken cancellationToken) =>
            Task.FromResult<bool?>(process().Ready && !process().Exited.IsCompleted);

        public Task<WorkerStatusReport?> GetStatusAsync(CancellationToken cancellationToken) =>
            Task.FromResult(process().ReportedPort is { } port ? new WorkerStatusReport(process().Spec.WorkerId, process().Spec.Generation, process().ProcessId, port, 0, 0) : null);

        public void Dispose()
        {
        }
    }
}
