using System.Diagnostics;
using ClusterTemplate.Primary.Health;
using ClusterTemplate.Primary.Processes;

namespace ClusterTemplate.Primary.Supervision;

/// <summary>One process incarnation of a worker slot, with what the primary has learnt about it.</summary>
internal sealed class WorkerInstance(int workerId, int generation, IWorkerProcess process, IWorkerManagementClient management, string heartbeatPath, DateTimeOffset startedAt) : IDisposable
{
    private readonly TaskCompletionSource<bool> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _monitor = new();
    private volatile bool _plannedStop;
    private volatile string? _failureReason;
    private int _recycling;

    public int WorkerId { get; } = workerId;

    public int Generation { get; } = generation;

    public IWorkerProcess Process { get; } = process;

    public IWorkerManagementClient Management { get; } = management;

    /// <summary>The file the worker's liveness heartbeat sets.</summary>
    public string HeartbeatPath { get; } = heartbeatPath;

    public DateTimeOffset StartedAt { get; } = startedAt;

    /// <summary>The socket the worker serves the proxy on (proxy mode); removed with the instance, as a killed worker leaves it behind.</summary>
    public string? ProxySocketPath { get; init; }

    /// <summary>The port the worker's public endpoint is bound to, once its first status report arrived.</summary>
    public int Port { get; set; }

    /// <summary>The worker's latest report about itself (requests served, memory).</summary>
    public ClusterTemplate.ServiceDefaults.Cluster.WorkerStatusReport? LastReport { get; set; }

    /// <summary>The span from process start to ready.</summary>
    public Activity? StartActivity { get; set; }

    /// <summary>The <c>worker.start</c> span of this process, for the later events about it to link to.</summary>
    public ActivityContext StartContext => StartActivity?.Context ?? default;

    /// <summary>The span that saw this process hang, if one did: the restart that follows links to it.</summary>
    public ActivityContext FailureContext { get; set; }

    /// <summary>Whether the last readiness probe passed: only serving workers get proxied traffic.</summary>
    public bool Serving { get; set; }

    /// <summary>Whether the worker's liveness heartbeat is fresh.</summary>
    public bool Healthy { get; set; } = true;

    /// <summary>Completes with true once the readiness probe passed, false if the process exited or timed out first.</summary>
    public Task<bool> Ready => _ready.Task;

    public bool IsReady => _ready.Task.IsCompletedSuccessfully && _ready.Task.Result;

    /// <summary>Cancelled when the primary stops watching this process.</summary>
    public CancellationToken MonitorToken => _monitor.Token;

    /// <summary>Set when the primary stops this process on purpose: its exit is not a crash.</summary>
    public bool PlannedStop => _plannedStop;

    /// <summary>Why the primary stopped this process against its will (failed probes, start timeout).</summary>
    public string? FailureReason => _failureReason;

    /// <summary>The request count after which this process is recycled; 0 for never.</summary>
    public long RequestLimit { get; init; }

    /// <summary>Claims the recycling of this process; false if it is already under way.</summary>
    public bool TryStartRecycling() => Interlocked.Exchange(ref _recycling, 1) == 0;

    /// <summary>Lets a failed recycling be tried again later.</summary>
    public void RecyclingFailed() => Volatile.Write(ref _recycling, 0);

    public void MarkPlannedStop() => _plannedStop = true;

    public void MarkFailed(string reason) => _failureReason ??= reason;

    public void SetReady(bool ready) => _ready.TrySetResult(ready);

    public void Dispose()
    {
        StartActivity?.Dispose();
        _ready.TrySetResult(false);
        _monitor.Cancel();
        _monitor.Dispose();
        Management.Dispose();
        Process.Dispose();
        try
        {
            File.Delete(HeartbeatPath);
            if (ProxySocketPath is not null)
            {
                File.Delete(ProxySocketPath);
            }
        }
        catch (IOException)
        {
            // The runtime folder is gone already.
        }
    }
}
