using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Supervision;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Primary.Probes;

/// <summary>
/// <c>/readyz</c>: at least <c>Cluster:Health:MinReadyWorkers</c> workers are ready (every worker, when the cluster
/// was scaled below it), and the primary is not stopping. It fails the moment the primary starts stopping, before
/// the workers drain, so a load balancer stops sending while they still serve.
/// </summary>
internal sealed class ClusterReadinessCheck(WorkerSlots slots, IHostApplicationLifetime lifetime, IOptions<ClusterOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var workers = slots.Snapshot();
        var ready = workers.Count(worker => worker.Ready);
        var minReady = Math.Clamp(options.Value.Health.MinReadyWorkers, 1, Math.Max(workers.Count, 1));
        var stopping = lifetime.ApplicationStopping.IsCancellationRequested;
        var data = new Dictionary<string, object> { ["ready"] = ready, ["total"] = workers.Count, ["minReady"] = minReady, ["stopping"] = stopping };
        return Task.FromResult(
            stopping ? HealthCheckResult.Unhealthy("the primary is stopping", data: data)
            : ready < minReady ? HealthCheckResult.Unhealthy($"{ready} of {workers.Count} workers ready, {minReady} needed", data: data)
            : HealthCheckResult.Healthy($"{ready} of {workers.Count} workers ready", data));
    }
}
