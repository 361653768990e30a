using System.Globalization;
using ClusterTemplate.Primary.Supervision;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClusterTemplate.Primary.Probes;

/// <summary>
/// <c>/healthz</c>: the primary and its supervision are alive (<see cref="SupervisorHeartbeat"/>). It says nothing of
/// the workers, so a crash-looping worker does not get the whole primary restarted by an orchestrator.
/// </summary>
internal sealed class SupervisorLivenessCheck(SupervisorHeartbeat heartbeat) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (heartbeat.Age is not { } age)
        {
            return Task.FromResult(HealthCheckResult.Healthy("the supervisor has not started yet (the cluster init runs)"));
        }

        var data = new Dictionary<string, object> { ["heartbeatAgeMs"] = (long)age.TotalMilliseconds };
        return Task.FromResult(heartbeat.IsAlive
            ? HealthCheckResult.Healthy("the supervisor ticks", data)
            : HealthCheckResult.Unhealthy(
                string.Create(CultureInfo.InvariantCulture, $"the supervisor has not ticked for {age.TotalSeconds:0.#} s (limit {SupervisorHeartbeat.StaleAfter.TotalSeconds:0} s)"), data: data));
    }
}
