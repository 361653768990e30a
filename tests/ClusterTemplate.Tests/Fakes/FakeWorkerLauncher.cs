using System.Collections.Concurrent;
using ClusterTemplate.Primary.Health;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.ServiceDefaults.Cluster;

namespace ClusterTemplate.Tests.Fakes;

/// <summary>Launches <see cref="FakeWorkerProcess"/>es and answers their management probes from their flags.</summary>
internal sealed class FakeWorkerLauncher : IWorkerLauncher, IWorkerManagementClientFactory
{
    private readonly ConcurrentQueue<FakeWorkerProcess> _started = new();
    private readonly ConcurrentDictionary<string, FakeWorkerProcess> _bySocket = new();
    private int _nextProcessId = 1000;

    /// <summary>Applied to every process before it is handed to the supervisor.</summary>
    public Action<FakeWorkerProcess>? OnStart { get; set; }

    public IReadOnlyList<FakeWorkerProcess> Started => [.. _started];

    public IWorkerProcess Start(WorkerLaunchSpec spec)
    {
        var process = new FakeWorkerProcess(Interlocked.Increment(ref _nextProcessId), spec);
        OnStart?.Invoke(process);
        _bySocket[spec.ManagementSocketPath] = process;
        _started.Enqueue(process);
        return process;
    }

    public IWorkerManagementClient Create(string socketPath, int processId) => new Client(() => _bySocket[socketPath]);

    private sealed class Client(Func<FakeWorkerProcess> process) : IWorkerManagementClient
    {
        public Task<bool> IsAliveAsync(CancellationToken cancellationToken) =>
            Task.FromResult(process().Alive && !process().Exited.IsCompleted);

        public Task<bool> IsReadyAsync(CancellationToken cancellationToken) =>
            Task.FromResult(process().Ready && !process().Exited.IsCompleted);

        public Task<WorkerStatusReport?> GetStatusAsync(CancellationToken cancellationToken) =>
            Task.FromResult<WorkerStatusReport?>(new WorkerStatusReport(process().Spec.WorkerId, process().Spec.Generation, process().ProcessId, 8080, 0, 0));

        public void Dispose()
        {
        }
    }
}
