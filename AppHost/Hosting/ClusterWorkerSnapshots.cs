using System.Collections.Immutable;
using System.Globalization;
using ClusterTemplate.Shared.Control;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClusterTemplate.AppHost.Hosting;

/// <summary>Turns rows of the primary's worker table and its lifecycle events into dashboard snapshots.</summary>
internal static class ClusterWorkerSnapshots
{
    private const string LivenessCheck = "liveness";
    private const string ReadinessCheck = "readiness";

    // The dashboard nests a row under the resource this property names (its resource id, not its display name).
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
            new ResourcePropertySnapshot(ClusterWorkerProperties.WorkerId, worker.WorkerId),
        ],
    };

    /// <summary>The row as the worker table says it is now.</summary>
    public static CustomResourceSnapshot FromStatus(CustomResourceSnapshot previous, WorkerSnapshot status, int publicPort)
    {
        var (text, style) = status.State switch
        {
            WorkerState.Running => (KnownResourceStates.Running, KnownResourceStateStyles.Success),
            WorkerState.Starting => (KnownResourceStates.Starting, KnownResourceStateStyles.Info),
            WorkerState.Stopping => (KnownResourceStates.Stopping, KnownResourceStateStyles.Info),
            WorkerState.Restarting => (ClusterWorkerProperties.RestartingState, KnownResourceStateStyles.Warn),
            WorkerState.Failed => (ClusterWorkerProperties.FailedState, KnownResourceStateStyles.Error),
            WorkerState.Stopped => (KnownResourceStates.Exited, KnownResourceStateStyles.Info),
            var other => (other.ToString(), (string?)null),
        };

        var health = status switch
        {
            { Healthy: true } => "healthy",
            { State: WorkerState.Running } => "unhealthy",
            _ => "pending",
        };

        // Only a running worker has a health report: the dashboard shows a starting or restarting row without one.
        var reports = status.State == WorkerState.Running
            ? ImmutableArray.Create(
                new HealthReportSnapshot(
                    LivenessCheck,
                    status.Healthy ? HealthStatus.Healthy : HealthStatus.Unhealthy,
                    status.Healthy ? "liveness probe passing" : "liveness probe failing",
                    ExceptionText: null),
                new HealthReportSnapshot(
                    ReadinessCheck,
                    status.Ready ? HealthStatus.Healthy : HealthStatus.Unhealthy,
                    status.Ready ? "ready: takes traffic" : "not ready: takes no traffic",
                    ExceptionText: null))
            : [];

        // A worker of a proxy-mode cluster has its own loopback port; in the other modes it shares the public one.
        ImmutableArray<UrlSnapshot> urls = status.Port > 0 && status.Port != publicPort
            ? [new UrlSnapshot("http", string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{status.Port}"), IsInternal: false)]
            : [];

        return (previous with
        {
            State = new ResourceStateSnapshot(text, style),
            StartTimeStamp = status.StartedAt?.UtcDateTime,
            StopTimeStamp = status.ProcessId == 0 ? previous.StopTimeStamp : null,
            ExitCode = status.ProcessId == 0 ? previous.ExitCode : null,
            IsHidden = false,
            Urls = urls,
            Properties = previous.Properties
                .Set(ClusterWorkerProperties.WorkerId, status.WorkerId)
                .Set(ClusterWorkerProperties.ProcessId, status.ProcessId)
                .Set(ClusterWorkerProperties.Generation, status.Generation)
                .Set(ClusterWorkerProperties.Health, health)
                .Set(ClusterWorkerProperties.Ready, status.Ready)
                .Set(ClusterWorkerProperties.Restarts, status.Restarts)
                .Set(ClusterWorkerProperties.StartedAt, status.StartedAt?.UtcDateTime)
                .Set(ClusterWorkerProperties.LastExitReason, status.LastExitReason)
                .Set(ClusterWorkerProperties.Port, status.Port)
                .Set(ClusterWorkerProperties.RequestsServed, status.RequestsServed)
                .Set(ClusterWorkerProperties.WorkingSetBytes, status.WorkingSetBytes),
        }).WithHealthReports(reports);
    }

    /// <summary>
    /// The row right after a lifecycle event, before the next status read: an exit shows at once, even
    /// when the replacement is up before the table is read again.
    /// </summary>
    public static CustomResourceSnapshot FromEvent(CustomResourceSnapshot previous, WorkerLifecycleEvent item, DateTime now)
    {
        var described = item.Detail is { Length: > 0 } detail ? $"{item.Kind}: {detail}" : item.Kind.ToString();
        var properties = previous.Properties.Set(ClusterWorkerProperties.LastEvent, described);
        var currentPid = previous.Properties.FirstOrDefault(p => p.Name == ClusterWorkerProperties.ProcessId)?.Value as int?;

        // Events about a process the row no longer shows (the old one of a planned replacement) change nothing else.
        if (currentPid is { } pid && pid != 0 && pid != item.ProcessId && item.Kind != WorkerEventKind.Started)
        {
            return previous with { Properties = properties };
        }

        return item.Kind switch
        {
            WorkerEventKind.Exited => (previous with
            {
                State = new ResourceStateSnapshot(KnownResourceStates.Exited, KnownResourceStateStyles.Error),
                StopTimeStamp = now,
                ExitCode = item.ExitCode,
                Properties = properties
                    .Set(ClusterWorkerProperties.LastExitReason, item.Detail)
                    .Set(ClusterWorkerProperties.Health, "pending")
                    .Set(ClusterWorkerProperties.Ready, false),
            }).WithHealthReports([]),
            WorkerEventKind.Unhealthy => (previous with
            {
                Properties = properties.Set(ClusterWorkerProperties.Health, "unhealthy"),
            }).WithHealthReports([new HealthReportSnapshot(LivenessCheck, HealthStatus.Unhealthy, item.Detail, ExceptionText: null)]),
            WorkerEventKind.Failed => previous with
            {
                State = new ResourceStateSnapshot(ClusterWorkerProperties.FailedState, KnownResourceStateStyles.Error),
                Properties = properties,
            },
            _ => previous with { Properties = properties },
        };
    }

    /// <summary>The row when the primary is gone or cannot be asked: what it last said may no longer be true.</summary>
    public static CustomResourceSnapshot Unknown(CustomResourceSnapshot previous, string reason) => (previous with
    {
        State = new ResourceStateSnapshot(ClusterWorkerProperties.UnknownState, KnownResourceStateStyles.Warn),
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

    private static ImmutableArray<ResourcePropertySnapshot> Set(this ImmutableArray<ResourcePropertySnapshot> properties, string name, object? value)
    {
        for (var i = 0; i < properties.Length; i++)
        {
            if (properties[i].Name == name)
            {
                return Equals(properties[i].Value, value) ? properties : properties.SetItem(i, new ResourcePropertySnapshot(name, value));
            }
        }

        return properties.Add(new ResourcePropertySnapshot(name, value));
    }
}
