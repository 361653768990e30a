using ClusterTemplate.Shared.Control;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace ClusterTemplate.Primary.Probes;

/// <summary>The primary's probes for load balancers and orchestrators: <c>/healthz</c> (liveness) and <c>/readyz</c> (readiness).</summary>
internal static class ClusterProbesExtensions
{
    /// <summary>The tag of the checks <c>/healthz</c> runs (the service defaults' <c>self</c> check has it too).</summary>
    public const string LiveTag = "live";

    /// <summary>The tag of the checks <c>/readyz</c> runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Adds the supervisor's liveness check and the cluster's readiness check to the primary's health checks.</summary>
    public static IServiceCollection AddClusterProbes(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<SupervisorLivenessCheck>("supervisor", tags: [LiveTag])
            .AddCheck<ClusterReadinessCheck>("workers", tags: [ReadyTag]);
        return services;
    }

    /// <summary>Maps <c>/healthz</c> and <c>/readyz</c>: on the control socket (with the control API) and on the health endpoint (alone).</summary>
    public static IEndpointRouteBuilder MapClusterProbes(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(ControlRoutes.Liveness, Options(LiveTag));
        endpoints.MapHealthChecks(ControlRoutes.Readiness, Options(ReadyTag));
        return endpoints;
    }

    private static HealthCheckOptions Options(string tag) => new()
    {
        Predicate = check => check.Tags.Contains(tag),
        ResponseWriter = ProbeResponseWriter.WriteAsync,
    };
}
