using ClusterTemplate.Shared.Control;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClusterTemplate.Hosting;

/// <summary>
/// The primary's health as the dashboard shows it: healthy when every worker runs and passes its
/// liveness and readiness probes, degraded when only some do, unhealthy when none does or the primary does not answer.
/// </summary>
internal sealed class ClusterHealthCheck(ClusterAnnotation cluster) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (cluster.LatestStatus is not { } status)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The primary's control socket has not answered yet."));
        }

        var total = status.Workers.Count;
        var serving = status.Workers.Count(worker => worker is { State: WorkerState.Running, Healthy: true, Ready: true });
        var description = $"{serving} of {total} workers running, healthy and ready";
        return Task.FromResult(serving switch
        {
            0 => HealthCheckResult.Unhealthy(description),
            _ when serving < total => HealthCheckResult.Degraded(description),
            _ => HealthCheckResult.Healthy(description),
        });
    }
}
