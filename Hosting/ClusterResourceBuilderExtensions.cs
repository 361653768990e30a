using Aspire.Hosting.Lifecycle;
using ClusterTemplate.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting;

/// <summary>
/// Adds a cluster to the AppHost: the primary as a project resource that owns N worker processes,
/// and one dashboard row per worker that mirrors the primary's live worker table.
/// </summary>
public static class ClusterResourceBuilderExtensions
{
    /// <summary>The name of the primary's public endpoint.</summary>
    public const string PublicEndpointName = "http";

    /// <summary>Workers of a cluster that <see cref="WithWorkers"/> does not set: one per core, as the primary does.</summary>
    public static int DefaultWorkers => Math.Min(Environment.ProcessorCount, 256);

    /// <summary>The public port of a cluster that <see cref="WithPublicPort"/> does not set. Defaults to 8080.</summary>
    public const int DefaultPort = 8080;

    /// <summary>The name of the endpoint of the primary's <c>/healthz</c> and <c>/readyz</c>, declared when the AppHost publishes.</summary>
    public const string HealthEndpointName = "health";

    /// <summary>The port of the published primary's probes that <see cref="WithHealthPort"/> does not set. Defaults to 8081.</summary>
    public const int DefaultHealthPort = 8081;

    /// <summary>
    /// Adds the cluster primary <typeparamref name="TPrimary"/> as a project resource named <paramref name="name"/>.
    /// The primary starts, supervises and restarts the workers itself (the same as outside Aspire); the AppHost
    /// passes it the worker count, port and mode and follows it through its control socket.
    /// </summary>
    /// <typeparam name="TPrimary">The primary's project (<c>Projects.ClusterTemplate_Primary</c>).</typeparam>
    /// <param name="builder">The AppHost builder.</param>
    /// <param name="name">The primary's resource name; worker rows are named <c>&lt;name&gt;-worker-&lt;id&gt;</c>.</param>
    public static IResourceBuilder<ClusterResource> AddCluster<TPrimary>(this IDistributedApplicationBuilder builder, [ResourceName] string name)
        where TPrimary : IProjectMetadata, new()
    {
        ArgumentNullException.ThrowIfNull(builder);

        var primary = new ClusterResource(name);
        var cluster = primary.Settings;
        var healthCheck = name + "-workers";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(healthCheck, _ => new ClusterHealthCheck(cluster), failureStatus: null, tags: null));

        if (builder.ExecutionContext.IsRunMode)
        {
            builder.Services.TryAddSingleton(TimeProvider.System);
            builder.Services.TryAddEventingSubscriber<ClusterMonitorService>();
        }

        // A project of its own type, set up as AddProject<TPrimary> sets up any project. WithProjectDefaults is
        // Aspire's API for .NET resources of their own type (evaluation in 13.6): the alternative is copying it.
#pragma warning disable ASPIREPROJECTS001
        var resource = builder.AddResource(primary)
            .WithAnnotation<IProjectMetadata>(new TPrimary())
            .WithProjectDefaults(new ProjectResourceOptions());
#pragma warning restore ASPIREPROJECTS001

        // The public port is bound by the cluster itself, so no ASPNETCORE_URLS for it, which would make Kestrel in the primary bind it too.
        resource.WithEndpointsInEnvironment(_ => false);

        resource
            // The primary (proxy and shared modes) or its workers (reuseport mode) bind the port themselves: no Aspire proxy in front.
            .WithHttpEndpoint(port: cluster.Port, targetPort: cluster.Port, name: PublicEndpointName, isProxied: false)
            .WithEnvironment(context =>
            {
                foreach (var (key, value) in cluster.ToEnvironment(context.ExecutionContext.IsRunMode))
                {
                    context.EnvironmentVariables[key] = value;
                }

                // Run from the AppHost, the workers are in its environment (Development under `dotnet run`: the developer
                // exception page, /health and /alive); the primary never passes its own Development on to them by itself.
                if (context.ExecutionContext.IsRunMode)
                {
                    context.EnvironmentVariables["Cluster__Environment__ASPNETCORE_ENVIRONMENT"] = builder.Environment.EnvironmentName;
                }
            })
            .WithHealthCheck(healthCheck)
            .WithClusterCommands(cluster);

        if (builder.ExecutionContext.IsPublishMode)
        {
            resource.WithPublishedProbes(cluster);
        }

        return resource;
    }

    /// <summary>Sets the number of worker processes the primary starts (1..256).</summary>
    public static IResourceBuilder<ClusterResource> WithWorkers(this IResourceBuilder<ClusterResource> builder, int workers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(workers, 256);
        GetCluster(builder).Workers = workers;
        return builder;
    }

    /// <summary>Sets the public TCP port of the cluster (1..65535), shown as the primary's <c>http</c> endpoint.</summary>
    public static IResourceBuilder<ClusterResource> WithPublicPort(this IResourceBuilder<ClusterResource> builder, int port)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        var cluster = GetCluster(builder);
        ClusterPublishing.ThrowIfPortsCollide(builder, port, cluster.HealthPort);
        cluster.Port = port;
        return builder.WithEndpoint(PublicEndpointName, endpoint =>
        {
            endpoint.Port = port;
            endpoint.TargetPort = port;
        });
    }

    /// <summary>
    /// Sets the TCP port (1..65535, not the public port) on which a published primary serves <c>/healthz</c> and
    /// <c>/readyz</c>, the <c>health</c> endpoint of its probes. A run from the AppHost has no such endpoint: it reads
    /// them on the control socket.
    /// </summary>
    public static IResourceBuilder<ClusterResource> WithHealthPort(this IResourceBuilder<ClusterResource> builder, int port)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        var cluster = GetCluster(builder);
        ClusterPublishing.ThrowIfPortsCollide(builder, cluster.Port, port);
        cluster.HealthPort = port;
        return builder.Resource.Annotations.OfType<EndpointAnnotation>().Any(endpoint => endpoint.Name == HealthEndpointName)
            ? builder.WithEndpoint(HealthEndpointName, endpoint => endpoint.TargetPort = port)
            : builder;
    }

    /// <summary>Sets how connections reach the workers; <see cref="ClusterMode.Default"/> leaves it to the primary.</summary>
    public static IResourceBuilder<ClusterResource> WithMode(this IResourceBuilder<ClusterResource> builder, ClusterMode mode)
    {
        GetCluster(builder).Mode = mode;
        return builder;
    }

    /// <summary>
    /// Sets the folder in which the primary keeps its control socket and the workers' management sockets.
    /// Defaults to the folder the primary picks itself: <c>$XDG_RUNTIME_DIR</c> or the temp folder, plus <c>clustertemplate-&lt;port&gt;</c>.
    /// A run passes it as a full path from the AppHost's folder; a publish passes it as given, for the machine the primary runs on.
    /// </summary>
    public static IResourceBuilder<ClusterResource> WithRuntimeDirectory(this IResourceBuilder<ClusterResource> builder, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        GetCluster(builder).RuntimeDirectory = path;
        return builder;
    }

    /// <summary>
    /// Serves the public port over HTTPS (HTTP/1.1 and HTTP/2 by ALPN) with this certificate: the primary's
    /// <c>Kestrel:Certificates:Default</c>, which it checks at start and re-reads on every reload. The public endpoint
    /// is shown as <c>https</c>. The workers terminate TLS in the reuseport and shared modes, the primary in proxy mode.
    /// </summary>
    /// <param name="builder">The cluster.</param>
    /// <param name="certificatePath">The certificate: a PEM file, or a PFX with <paramref name="password"/>; a relative path is the AppHost folder's, as Aspire's project paths are.</param>
    /// <param name="keyPath">The PEM private key, unless it is in the certificate's file; relative to the AppHost folder too.</param>
    /// <param name="password">The PFX's password or the encrypted key's, as a secret parameter; none by default.</param>
    public static IResourceBuilder<ClusterResource> WithHttpsCertificate(
        this IResourceBuilder<ClusterResource> builder, string certificatePath, string? keyPath = null, IResourceBuilder<ParameterResource>? password = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(certificatePath);
        GetCluster(builder);
        var appHostDirectory = builder.ApplicationBuilder.AppHostDirectory;
        builder.WithEnvironment("Kestrel__Certificates__Default__Path", Path.GetFullPath(certificatePath, appHostDirectory));
        if (keyPath is not null)
        {
            builder.WithEnvironment("Kestrel__Certificates__Default__KeyPath", Path.GetFullPath(keyPath, appHostDirectory));
        }

        if (password is not null)
        {
            builder.WithEnvironment("Kestrel__Certificates__Default__Password", password);
        }

        return builder.WithEndpoint(PublicEndpointName, endpoint => endpoint.UriScheme = "https");
    }

    /// <summary>Sets an environment variable on every worker (the primary's <c>Cluster:Environment</c>).</summary>
    public static IResourceBuilder<ClusterResource> WithWorkerEnvironment(this IResourceBuilder<ClusterResource> builder, string name, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        GetCluster(builder);
        return builder.WithEnvironment("Cluster__Environment__" + name, value);
    }

    private static ClusterAnnotation GetCluster(IResourceBuilder<ClusterResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Resource.Settings;
    }
}
