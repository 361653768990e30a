using ClusterTemplate.Shared.Control;

namespace ClusterTemplate.Primary.Supervision;

/// <summary>Publishes a lifecycle event about one worker process, stamped with the supervisor's clock.</summary>
internal static class WorkerEventPublishing
{
    public static void Publish(this ClusterEvents events, TimeProvider time, WorkerEventKind kind, WorkerInstance instance, string? detail = null, int? exitCode = null) =>
        events.Publish(new WorkerLifecycleEvent(kind, instance.WorkerId, instance.Generation, instance.Process.ProcessId, time.GetUtcNow(), detail, exitCode));
}
