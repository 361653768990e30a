using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ClusterTemplate.Primary.Telemetry;

/// <summary>
/// The primary's own telemetry: supervision spans (worker start, exit, health-based restart,
/// rollout, scale) and metrics (workers alive, starts, restarts, failed probes).
/// </summary>
public sealed class ClusterTelemetry : IDisposable
{
    /// <summary>The name of both the <see cref="ActivitySource"/> and the <see cref="Meter"/>.</summary>
    public const string Name = "ClusterTemplate.Primary";

    private readonly Meter _meter;

    /// <summary>Creates the source and the meter.</summary>
    public ClusterTelemetry(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(Name);
        Starts = _meter.CreateCounter<long>("cluster.worker.starts", unit: "{process}", description: "Worker processes started.");
        Restarts = _meter.CreateCounter<long>("cluster.worker.restarts", unit: "{restart}", description: "Unplanned restarts: crashes and failed liveness probes.");
        FailedProbes = _meter.CreateCounter<long>("cluster.worker.probe_failures", unit: "{probe}", description: "Liveness probes that failed or timed out.");
    }

    /// <summary>The source of the supervision spans.</summary>
    public ActivitySource ActivitySource { get; } = new(Name);

    /// <summary>Worker processes started.</summary>
    public Counter<long> Starts { get; }

    /// <summary>Unplanned restarts.</summary>
    public Counter<long> Restarts { get; }

    /// <summary>Failed liveness probes.</summary>
    public Counter<long> FailedProbes { get; }

    /// <summary>Publishes the number of workers that are running and ready as <c>cluster.workers.alive</c>.</summary>
    public void ObserveWorkersAlive(Func<int> count) =>
        _meter.CreateObservableGauge("cluster.workers.alive", count, unit: "{process}", description: "Workers running and ready.");

    /// <summary>Starts a supervision span with the worker's identity as tags.</summary>
    public Activity? StartWorkerActivity(string name, int workerId, int generation, int processId, ActivityContext parent = default)
    {
        var activity = ActivitySource.StartActivity(name, ActivityKind.Internal, parent);
        activity?.SetTag("cluster.worker.id", workerId);
        activity?.SetTag("cluster.worker.generation", generation);
        if (processId > 0)
        {
            activity?.SetTag("process.pid", processId);
        }

        return activity;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ActivitySource.Dispose();
        _meter.Dispose();
    }
}
