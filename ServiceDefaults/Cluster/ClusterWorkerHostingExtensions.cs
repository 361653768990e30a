using System;
using ClusterTemplate.ServiceDefaults.Cluster;
using ClusterTemplate.ServiceDefaults.Cluster.Listeners;
using ClusterTemplate.ServiceDefaults.Cluster.Listeners.Balancing;
using ClusterTemplate.ServiceDefaults.Cluster.Tls;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>Worker-side cluster wiring: how a worker listens, is probed and follows its primary.</summary>
public static class ClusterWorkerHostingExtensions
{
    /// <summary>
    /// Registers <see cref="ClusterWorkerContext"/> and, when a primary started this process,
    /// binds the public endpoint (SO_REUSEPORT or a private loopback port), serves the private management
    /// socket (<see cref="ManagementServer"/>), the drain timeout, and the kernel's parent-death signal and the watchdog that stop the
    /// worker when the primary is gone.
    /// Without a primary nothing changes: the app is a plain single-process ASP.NET Core app.
    /// </summary>
    public static TBuilder AddClusterWorker<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var context = ClusterWorkerContext.For(builder);
        builder.Services.TryAddSingleton(context);
        builder.Services.TryAddSingleton<WorkerRequestCounter>();
        builder.Services.TryAddSingleton<PublicConnectionDrain>();
        builder.Services.TryAddSingleton<PublicListenerGate>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddTransient<IStartupFilter, ClusterWorkerStartupFilter>();

        if (context.IsInit)
        {
            // The init run dies with its primary too, but has no slot: no listener, management socket or heartbeat.
            ParentDeathSignal.Arm(context);
            builder.Services.AddHostedService<ClusterInitRoleGuard>();
            return builder;
        }

        if (!context.IsUnderPrimary)
        {
            return builder;
        }

        // First: from here on the worker dies with its primary, however hung it gets later.
        ParentDeathSignal.Arm(context);

        // The management socket's readiness probe runs the app's health checks: there must be a HealthCheckService
        // even when AddClusterWorker() is called alone, next to service defaults of the app's own.
        builder.Services.AddHealthChecks();

        if (context.FaultNeverReady)
        {
            // Test-only: an untagged check fails readiness and leaves liveness alone.
            builder.Services.AddHealthChecks().AddCheck("fault-never-ready", () => HealthCheckResult.Unhealthy("fault injection: never ready"));
        }

        var mode = WorkerListenerModes.Get(context.Mode);
        builder.Services.TryAddSingleton(mode);

        // The connection grace comes out of the drain timeout, so the primary's deadline still holds.
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = context.Drain.WorkerShutdownTimeout(mode.ConnectionGrace(context.Drain)));
        builder.Services.AddHostedService<PrimaryWatchdog>();
        builder.Services.TryAddSingleton<AcceptBalancing>();
        builder.Services.AddHostedService<ProgressHeartbeat>();
        builder.Services.AddSingleton<IHostLifetime, ClusterWorkerLifetime>();
        if (context.Certificate is { } certificateFiles)
        {
            // The primary checked the files at start; a worker started later (a rollout) reads them as they are now.
            builder.Services.TryAddSingleton(services => ServerCertificateHolder.Load(certificateFiles, services.GetRequiredService<TimeProvider>()));
        }

        builder.Services.Configure<KestrelServerOptions>(kestrel =>
        {
            var connections = kestrel.ApplicationServices.GetRequiredService<PublicConnectionDrain>();
            var certificate = kestrel.ApplicationServices.GetService<ServerCertificateHolder>();
            mode.ListenPublic(kestrel, context, listen =>
            {
                if (!mode.ListensOnceReady)
                {
                    // A gated listener counts its connections from the accept on (ReadinessGatedListener).
                    listen.Use(connections.Track);
                }

                PublicProtocols.Apply(listen, context.Protocols, certificate);
            });
        });

        // The probes are served beside the app, not by it: nothing in the app's Program.cs can hide them.
        builder.Services.AddHostedService<ManagementServer>();

        if (mode.ListensOnceReady)
        {
            // Registered after Kestrel's socket transport: Kestrel binds with the last factory that takes the endpoint.
            builder.Services.AddSingleton<IConnectionListenerFactory>(services =>
            {
                var sockets = new SocketTransportFactory(services.GetRequiredService<IOptions<SocketTransportOptions>>(), services.GetRequiredService<ILoggerFactory>());
                var transport = services.GetRequiredService<AcceptBalancing>().Wrap(sockets);
                return new ReadinessGatedTransportFactory(transport, services.GetRequiredService<PublicListenerGate>(), services.GetRequiredService<PublicConnectionDrain>());
            });
        }

        var listenSockets = new ClusterListenSockets(context, mode);
        builder.Services.TryAddSingleton(listenSockets);
        builder.Services.Configure<SocketTransportOptions>(options => options.CreateBoundListenSocket = listenSockets.Create);

        return builder;
    }
}
