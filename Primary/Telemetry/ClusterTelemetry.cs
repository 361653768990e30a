using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ClusterTemplate.Primary.Telemetry;

/// <summary>
/// The primary's own telemetry: supervision spans (worker start, exit, health-based restart,
/// rollout, scale) and metrics (workers alive, starts, restarts, failed probes). Each supervision event is
/// a trace of its own, linked to the earlier spans of the workers it concerns (see <see cref="StartEvent"/>).
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
        Starts = _meter.CreateCounter<long>(MetricNames.Starts, unit: "{process}", description: "Worker processes started.");
        Restarts = _meter.CreateCounter<long>(MetricNames.Restarts, unit: "{restart}", description: "Unplanned exits, each followed by a restart: crashes, kills, failed liveness, start timeouts.");
        FailedProbes = _meter.CreateCounter<long>(MetricNames.ProbeFailures, unit: "{probe}", description: "Liveness failures: workers killed because they made no progress for Health:LivenessTimeout.");
    }

    /// <summary>The source of the supervision spans.</summary>
    public ActivitySource ActivitySource { get; } = new(Name);

    /// <summary>Worker processes started.</summary>
    public Counter<long> Starts { get; }

    /// <summary>Unplanned restarts.</summary>
    public Counter<long> Restarts { get; }

    /// <summary>Liveness failures: workers killed because they made no progress.</summary>
    public Counter<long> FailedProbes { get; }

    /// <summary>Publishes the number of workers that are running and ready as <c>cluster.workers.alive</c>.</summary>
    public void ObserveWorkersAlive(Func<int> count) =>
        _meter.CreateObservableGauge(MetricNames.WorkersAlive, count, unit: "{process}", description: "Workers running and ready.");

    /// <summary>
    /// Starts the span of a supervision event (a replacement, a rollout, a scale, a recycle) as the root of a trace
    /// of its own, whatever span the caller is in, linked to the earlier spans it follows from (such as the
    /// <c>worker.start</c> of the process it replaces). The span becomes <see cref="Activity.Current"/> for the
    /// caller, so the steps of the event are its children: start it in the async method that ends it.
    /// </summary>
    /// <param name="name">The span's name.</param>
    /// <param name="links">The spans the event follows from; default contexts are left out.</param>
    public Activity? StartEvent(string name, params ReadOnlySpan<ActivityContext> links) => StartRoot(name, links);

    /// <summary>
    /// Like <see cref="StartEvent"/>, for an event that ends elsewhere (a crash restart ends when the replacement
    /// is ready): <see cref="Activity.Current"/> stays what it was, and the event's steps name it as their parent.
    /// </summary>
    public Activity? StartDetachedEvent(string name, params ReadOnlySpan<ActivityContext> links)
    {
        var caller = Activity.Current;
        var activity = StartRoot(name, links);
        Restore(caller);
        return activity;
    }

    /// <summary>Starts a supervision span with the worker's identity as tags, a child of <paramref name="parent"/> or else of the current span.</summary>
    public Activity? StartWorkerActivity(string name, int workerId, int generation, int processId, ActivityContext parent = default)
    {
        var activity = ActivitySource.StartActivity(name, ActivityKind.Internal, parent);
        TagWorker(activity, workerId, generation, processId);
        return activity;
    }

    /// <summary>
    /// Starts a span that outlives the call, such as a <c>worker.start</c> that ends when the worker is ready: a child
    /// of <paramref name="parent"/>, or else of the current span, or else a root; <see cref="Activity.Current"/> stays
    /// what it was, so the caller's next spans are not drawn inside it.
    /// </summary>
    public Activity? StartDetachedWorkerActivity(string name, int workerId, int generation, ActivityContext parent)
    {
        var caller = Activity.Current;
        var activity = StartWorkerActivity(name, workerId, generation, processId: 0, parent);
        Restore(caller);
        return activity;
    }

    /// <summary>Tags a supervision span with the worker's identity, or an event span with the worker it is about.</summary>
    public static void TagWorker(Activity? activity, int workerId, int generation, int processId)
    {
        activity?.SetTag("cluster.worker.id", workerId);
        activity?.SetTag("cluster.worker.generation", generation);
        if (processId > 0)
        {
            activity?.SetTag("process.pid", processId);
        }
    }

    /// <summary>Links <paramref name="activity"/> to an earlier span (a worker's <c>worker.start</c>), if there was one.</summary>
    public static void Link(Activity? activity, ActivityContext earlier)
    {
        if (earlier != default)
        {
            activity?.AddLink(new ActivityLink(earlier));
        }
    }

    private Activity? StartRoot(string name, ReadOnlySpan<ActivityContext> links)
    {
        List<ActivityLink> linked = [];
        foreach (var link in links)
        {
            if (link != default)
            {
                linked.Add(new ActivityLink(link));
            }
        }

        // A default parent context means "the current span": only without a current span is the new one a root.
        var caller = Activity.Current;
        Activity.Current = null;
        var activity = ActivitySource.StartActivity(name, ActivityKind.Internal, parentContext: default, links: linked);
        if (activity is null)
        {
            Restore(caller);
        }

        return activity;
    }

    // Activity.Current refuses a stopped span: the caller's span ended meanwhile, so there is none to go back to.
    private static void Restore(Activity? caller) => Activity.Current = caller is { IsStopped: false } ? caller : null;

    /// <inheritdoc />
    public void Dispose()
    {
        ActivitySource.Dispose();
        _meter.Dispose();
    }
}
