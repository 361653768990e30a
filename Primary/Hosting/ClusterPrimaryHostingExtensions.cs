using System.Globalization;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Control;
using ClusterTemplate.Primary.Health;
using ClusterTemplate.Primary.Hosting.Systemd;
using ClusterTemplate.Primary.Init;
using ClusterTemplate.Primary.Listeners;
using ClusterTemplate.Primary.Probes;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.Primary.Proxy;
using ClusterTemplate.Primary.Supervision;
using ClusterTemplate.Primary.Telemetry;
using ClusterTemplate.Primary.Tls;
using ClusterTemplate.ServiceDefaults.Cluster;
using ClusterTemplate.Shared.Control;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.AspNetCore;
using OpenTelemetry.Instrumentation.Http;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ClusterTemplate.Primary.Hosting;

/// <summary>Registers the primary: settings, the worker launcher and probes, and the supervisor.</summary>
public static class ClusterPrimaryHostingExtensions
{
    /// <summary>
    /// Adds the cluster supervisor, its <c>Cluster</c> settings (read from configuration, with the
    /// short command-line forms, and validated at start) and the services it depends on.
    /// </summary>
    public static WebApplicationBuilder AddClusterPrimary(this WebApplicationBuilder builder, string[] args)
    {
        builder.Configuration.AddCommandLine(args, ClusterCommandLine.SwitchMappings);
        // The primary is not a worker: telemetry and health checks, without the worker-side cluster wiring.
        builder.ConfigureOpenTelemetry();
        ProxyTracing.Configure(builder);
        builder.AddDefaultHealthChecks();
        builder.Services.AddClusterProbes();
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(ClusterTelemetry.Name));
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(ClusterTelemetry.Name));

        // Control requests (the AppHost polls them) and probes of the workers are plumbing, not traffic: no spans.
        builder.Services.Configure<AspNetCoreTraceInstrumentationOptions>(options =>
        {
            var filter = options.Filter;
            options.Filter = context => !ControlConnectionFeature.IsControl(context) && (filter?.Invoke(context) ?? true);
        });
        builder.Services.Configure<HttpClientTraceInstrumentationOptions>(options =>
        {
            var filter = options.FilterHttpRequestMessage;
            options.FilterHttpRequestMessage = request =>
                request.RequestUri?.Host != UnixSocketManagementClient.Authority && (filter?.Invoke(request) ?? true);
        });

        var services = builder.Services;
        services.AddOptions<ClusterOptions>()
            .Configure<IConfiguration>((options, configuration) => ClusterSettingsReader.Read(configuration.GetSection(ClusterOptions.SectionName), options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterOptions>, ClusterStartupValidator>());

        // HTTPS on the public port: Kestrel's default certificate, checked at start and re-read on every reload.
        services.TryAddSingleton<PublicCertificate>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterOptions>, ClusterTlsValidator>());

        // Long enough for the shutdown delay, the workers' drain and the kill that follows it. Read leniently: the host resolves
        // this while it is built, before validation can report a bad Cluster:DrainTimeout properly.
        services.AddOptions<HostOptions>().Configure<IConfiguration>((host, configuration) =>
        {
            var defaults = new ClusterOptions();
            var drain = TimeSpan.TryParse(configuration["Cluster:DrainTimeout"], CultureInfo.InvariantCulture, out var configured) && configured > TimeSpan.Zero
                ? new DrainBudget(configured)
                : defaults.Drain;
            var delay = TimeSpan.TryParse(configuration["Cluster:ShutdownDelay"], CultureInfo.InvariantCulture, out var shutdownDelay)
                && shutdownDelay > TimeSpan.Zero && shutdownDelay <= ClusterOptions.MaxShutdownDelay
                ? shutdownDelay
                : TimeSpan.Zero;
            host.ShutdownTimeout = delay + drain.PrimaryShutdownTimeout(defaults.Health.StopGracePeriod);
        });

        services.AddClusterSupervision();

        // First, so that it stops last: /readyz answers 503 on the health endpoint while the workers drain.
        services.AddHostedService<HealthEndpointServer>();
        services.AddHostedService<ShutdownDelay>();

        // systemd's readiness, reload, stop and watchdog notifications (when started by systemd); before the init, which the watchdog outlasts.
        services.AddClusterSystemd();

        // Before the supervisor: the workers start only once the init (Cluster:Init:When) has exited with 0.
        services.AddHostedService<ClusterInitAtStart>();
        services.AddHostedService(provider => provider.GetRequiredService<ClusterSupervisor>());

        // The primary binds only what its listener mode, the control socket and the health endpoint say. The
        // addresses a shell or a container image gives every ASP.NET Core app (the official images set
        // ASPNETCORE_HTTP_PORTS=8080) are not its own: without this, Kestrel warns that it overrides them.
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, "");
        builder.WebHost.UseSetting(WebHostDefaults.HttpPortsKey, "");
        builder.WebHost.UseSetting(WebHostDefaults.HttpsPortsKey, "");

        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            // The primary serves nothing on TCP unless the listener mode says so; the control socket comes first.
            var runtime = kestrel.ApplicationServices.GetRequiredService<ClusterRuntimeDirectory>();
            kestrel.ApplicationServices.GetRequiredService<ListenerModeSelector>().Current.ConfigureKestrel(kestrel);
            kestrel.ListenUnixSocket(runtime.ControlSocketPath, listen =>
            {
                listen.AcceptOwnUserOnly();
                listen.MarkConnections(ControlConnectionFeature.Instance);
            });
        });

        services.ConfigureHttpJsonOptions(json => ControlJson.Configure(json.SerializerOptions));
        services.AddHostedService<ReloadSignalHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, ControlEndpointMatcherPolicy>());

        return builder;
    }
}
