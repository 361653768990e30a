namespace ClusterTemplate.Hosting;

/// <summary>
/// What a published cluster declares for a deployment target (Kubernetes, Docker Compose): its public endpoint as
/// external, and the primary's probes on an endpoint of their own, never on the public port where the app answers.
/// </summary>
internal static class ClusterPublishing
{
    public static IResourceBuilder<ClusterResource> WithPublishedProbes(this IResourceBuilder<ClusterResource> builder, ClusterAnnotation cluster)
    {
        builder.WithEndpoint(ClusterResourceBuilderExtensions.PublicEndpointName, endpoint => endpoint.IsExternal = true)
            .WithHttpEndpoint(targetPort: cluster.HealthPort, name: ClusterResourceBuilderExtensions.HealthEndpointName, isProxied: false);

        // Bound to the endpoint's target port, so a deployment target that maps the port tells the primary the port it maps to.
        // On every address: the orchestrator probes from outside the container's loopback.
        var health = builder.GetEndpoint(ClusterResourceBuilderExtensions.HealthEndpointName);

        // Aspire's probes are an evaluation API in 13.6 (ASPIREPROBES001); they are what its deployment targets read.
#pragma warning disable ASPIREPROBES001
        return builder
            .WithEnvironment("Cluster__HealthEndpoint", ReferenceExpression.Create($"http://*:{health.Property(EndpointProperty.TargetPort)}"))
            // Liveness says nothing of the workers, so a crash-looping worker does not get the whole primary restarted;
            // readiness turns 503 the moment the primary starts stopping, before the workers drain.
            .WithHttpProbe(ProbeType.Liveness, "/healthz", endpointName: ClusterResourceBuilderExtensions.HealthEndpointName)
            .WithHttpProbe(ProbeType.Readiness, "/readyz", endpointName: ClusterResourceBuilderExtensions.HealthEndpointName);
#pragma warning restore ASPIREPROBES001
    }

    /// <summary>The primary refuses a health endpoint on its public port; say so where the AppHost sets them, not at the deployment's start.</summary>
    public static void ThrowIfPortsCollide(IResourceBuilder<ClusterResource> builder, int publicPort, int healthPort)
    {
        if (builder.ApplicationBuilder.ExecutionContext.IsPublishMode && publicPort == healthPort)
        {
            throw new ArgumentException(
                $"The public port and the health port of cluster '{builder.Resource.Name}' are both {publicPort}; choose another with WithHealthPort or WithPublicPort.");
        }
    }
}
