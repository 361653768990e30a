using System.Collections.Immutable;
using System.Globalization;
using ClusterTemplate.Shared.Control;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClusterTemplate.Hosting;

/// <summary>Turns rows of the primary's worker table, and its lifecycle events applied to them, into dashboard snapshots.</summary>
internal static class ClusterWorkerSnapshots
{
    private const string LivenessCheck = "liveness";
    private const string ReadinessCheck = "readiness";

    // The dashboard nests a row under the resource this property names (its resource id, not its display name).
    // Aspire 13.6's public WithParentRelationship only reaches resources of the model, whose parent Aspire fills in
    // at start; a row made at run time (a worker slot appears on scale-up) has no public way to it but this property.
    private const string ParentNameProperty = "resource.parentName";

    public static CustomResourceSnapshot Initial(ClusterWorkerResource worker, string parentResourceId, DateTime createdAt) => new()
    {
        ResourceType = ClusterWorkerResource.ResourceTypeName,
        CreationTimeStamp = createdAt,
        State = new ResourceStateSnapshot(KnownResourceStates.Starting, KnownResourceStateStyles.Info),
        Relationships = [new RelationshipSnapshot(worker.Primary.Name, "Parent")],
        Properties =
        [
            new ResourcePropertySnapshot(ParentNameProperty, parentResourceId),
            ClusterPropertyDisplay.Create(ClusterWorkerProperties.WorkerId, worker.WorkerId),
        ],
    };

    /// <summary>
    /// The row of a slot as <paramref name="worker"/> describes it: a row of the worker table, or one with
    /// lifecycle events applied (<see cref="WorkerSnapshotEvents.Apply"/>). A slot without a process keeps
    /// the exit its row shows.
    /// </summary>
    public static CustomResourceSnapshot FromWorker(CustomResourceSnapshot previous, WorkerSnapshot worker, int publicPort)
    {
        var runs = worker.ProcessId != 0;
        var exitCode = runs ? null : previous.ExitCode;
        var (text, style) = worker.State switch
        {
            WorkerState.Running => (KnownResourceStates.Running, KnownResourceStateStyles.Success),
            WorkerState.Starting => (KnownResourceStates.Starting, KnownResourceStateStyles.Info),
            WorkerState.Stopping => (KnownResourceStates.Stopping, KnownResourceStateStyles.Info),
            WorkerState.Restarting => (ClusterWorkerProperties.RestartingState, KnownResourceStateStyles.Warn),
            WorkerState.Failed => (ClusterWorkerProperties.FailedState, KnownResourceStateStyles.Error),
            WorkerState.Stopped => (KnownResourceStates.Exited, exitCode is null or 0 ? KnownResourceStateStyles.Info : KnownResourceStateStyles.Error),
            var other => (other.ToString(), (string?)null),
        };

        var health = worker switch
        {
            { Healthy: true } => "healthy",
            { State: WorkerState.Running } => "unhealthy",
            _ => "pending",
        };

        // Only a running worker has a health report: the dashboard shows a starting or restarting row without one.
        var reports = worker.State == WorkerState.Running
            ? ImmutableArray.Create(
                new HealthReportSnapshot(
                    LivenessCheck,
                    worker.Healthy ? HealthStatus.Healthy : HealthStatus.Unhealthy,
                    worker.Healthy ? "liveness probe passing" : "liveness probe failing",
                    ExceptionText: null),
                new HealthReportSnapshot(
                    ReadinessCheck,
                    worker.Ready ? HealthStatus.Healthy : HealthStatus.Unhealthy,
                    worker.Ready ? "ready: takes traffic" : "not ready: takes no traffic",
                    ExceptionText: null))
            : [];

        // A worker of a proxy-mode cluster has its own loopback port; in the other modes it shares the public one.
        ImmutableArray<UrlSnapshot> urls = worker.Port > 0 && worker.Port != publicPort
            ? [new UrlSnapshot("http", string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{worker.Port}"), IsInternal: false)]
            : [];

        return (previous with
        {
            State = new ResourceStateSnapshot(text, style),
            StartTimeStamp = worker.StartedAt?.UtcDateTime,
            StopTimeStamp = runs ? null : previous.StopTimeStamp,
            ExitCode = exitCode,
            IsHidden = false,
            Urls = urls,
            Properties = previous.Properties
                .Set(ClusterWorkerProperties.WorkerId, worker.WorkerId)
                .Set(ClusterWorkerProperties.ProcessId, worker.ProcessId)
                // The grid's Source column: the one place in the row itself that shows a resource's own text.
                .Set(CustomResourceKnownProperties.Source, runs ? string.Create(CultureInfo.InvariantCulture, $"pid {worker.ProcessId}") : null)
                .Set(ClusterWorkerProperties.Generation, worker.Generation)
                .Set(ClusterWorkerProperties.Health, health)
                .Set(ClusterWorkerProperties.Ready, worker.Ready)
                .Set(ClusterWorkerProperties.Restarts, worker.Restarts)
                .Set(ClusterWorkerProperties.LastExitReason, worker.LastExitReason)
                .Set(ClusterWorkerProperties.Port, worker.Port)
                .Set(ClusterWorkerProperties.RequestsServed, worker.RequestsServed)
                .Set(ClusterWorkerProperties.WorkingSet, runs && worker.WorkingSetBytes > 0 ? FormatBytes(worker.WorkingSetBytes) : null)
                .Set(ClusterWorkerProperties.WorkingSetBytes, worker.WorkingSetBytes),
        }).WithHealthReports(reports);
    }

    /// <summary>
    /// The row right after a lifecycle event, before the next read of the table: <paramref name="worker"/> is
    /// the slot's last known table row with <paramref name="item"/> applied. An exit shows at once, even when
    /// the replacement is up before the table is read again.
    /// </summary>
    public static CustomResourceSnapshot FromEvent(CustomResourceSnapshot previous, WorkerLifecycleEvent item, WorkerSnapshot worker, int publicPort, DateTime now)
    {
        var row = WithLastEvent(previous, item);
        if (item.Kind == WorkerEventKind.Exited && worker.ProcessId == 0)
        {
            // The exit of the process the row showed: kept until the slot runs a process again.
            row = row with { ExitCode = item.ExitCode, StopTimeStamp = now };
        }

        return FromWorker(row, worker, publicPort);
    }

    /// <summary>The row with <paramref name="item"/> as its last event and nothing else changed.</summary>
    public static CustomResourceSnapshot WithLastEvent(CustomResourceSnapshot previous, WorkerLifecycleEvent item) => previous with
    {
        Properties = previous.Properties.Set(ClusterWorkerProperties.LastEvent, item.Detail is { Length: > 0 } detail ? $"{item.Kind}: {detail}" : item.Kind.ToString()),
    };

    /// <summary>The row when the primary is gone or cannot be asked: what it last said may no longer be true.</summary>
    public static CustomResourceSnapshot Unknown(CustomResourceSnapshot previous, string reason) => (previous with
    {
        State = new ResourceStateSnapshot(ClusterWorkerProperties.UnknownState, KnownResourceStateStyles.Warn),
        Properties = previous.Properties.Set(ClusterWorkerProperties.LastEvent, reason),
    }).WithHealthReports([]);

    /// <summary>The row once its primary has stopped on purpose: the primary drains and stops its workers before it exits.</summary>
    public static CustomResourceSnapshot Stopped(CustomResourceSnapshot previous, string reason, DateTime now) => (previous with
    {
        State = new ResourceStateSnapshot(KnownResourceStates.Exited, KnownResourceStateStyles.Info),
        StopTimeStamp = previous.StopTimeStamp ?? now,
        Properties = previous.Properties.Set(ClusterWorkerProperties.LastEvent, reason),
    }).WithHealthReports([]);

    /// <summary>The row of a slot the cluster no longer has (scaled down).</summary>
    public static CustomResourceSnapshot Removed(CustomResourceSnapshot previous, DateTime now) => (previous with
    {
        State = new ResourceStateSnapshot(KnownResourceStates.Exited, KnownResourceStateStyles.Info),
        StopTimeStamp = now,
        IsHidden = true,
        Properties = previous.Properties.Set(ClusterWorkerProperties.LastEvent, "removed by scale-down"),
    }).WithHealthReports([]);

    /// <summary>A number of bytes as a person reads it, in binary units with one decimal: <c>84.2 MiB</c>.</summary>
    public static string FormatBytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        var value = (double)bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }
}
