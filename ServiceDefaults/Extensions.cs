using ClusterTemplate.ServiceDefaults.Cluster;
using ClusterTemplate.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Common services for every process of the cluster: OpenTelemetry, health checks, service
/// discovery, resilience, and the worker-side cluster wiring.
/// </summary>
public static class Extensions
{
    private const string HealthEndpointPath = "/health";
    private const string AlivenessEndpointPath = "/alive";

    /// <summary>Adds OpenTelemetry, default health checks, service discovery, resilience and the cluster wiring.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddClusterWorker();
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    /// <summary>Logs, metrics and traces, exported over OTLP; only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.</summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // Without an exporter, logs, spans and metrics would be produced on every request for nobody.
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return builder;
        }

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var cluster = ClusterWorkerContext.For(builder);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                if (cluster.IsUnderPrimary)
                {
                    resource.AddAttributes(
                    [
                        new("cluster.worker.id", cluster.WorkerId),
                        new("cluster.worker.generation", cluster.Generation),
                    ]);
                }
            })
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddAspNetCoreInstrumentation(options =>
                    options.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                .AddHttpClientInstrumentation())
            .UseOtlpExporter();

        // Exits are bounded: a collector that is gone must not keep a stopping process alive.
        builder.Services.AddHostedService<BoundedTelemetryShutdown>();

        return builder;
    }

    /// <summary>A <c>self</c> liveness check; add the app's own readiness checks next to it.</summary>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);

        return builder;
    }

    /// <summary>
    /// Maps the fault-injection endpoints when the tests ask for them, and in Development the usual
    /// <c>/health</c> and <c>/alive</c> on the public port. The cluster does not need it: the primary's
    /// probes are served on the management socket by <see cref="AddServiceDefaults"/> alone.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        if (app.Services.GetRequiredService<ClusterWorkerContext>().FaultInjection)
        {
            app.UseWebSockets();
            app.MapFaultInjection();
        }

        if (app.Environment.IsDevelopment())
        {
            app.MapHealthChecks(HealthEndpointPath);
            app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
            {
                Predicate = r => r.Tags.Contains("live"),
            });
        }

        return app;
    }
}
