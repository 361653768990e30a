using Yarp.ReverseProxy.Forwarder;

namespace ClusterTemplate.Primary.Proxy;

/// <summary>Registers and maps the YARP front end of the proxy listener mode.</summary>
internal static class ClusterProxyExtensions
{
    /// <summary>YARP with an in-memory configuration that <see cref="WorkerDestinations"/> keeps up to date.</summary>
    public static IServiceCollection AddClusterProxy(this IServiceCollection services)
    {
        services.AddReverseProxy().LoadFromMemory([], []);
        services.AddSingleton<WorkerDestinations>();
        services.AddSingleton<WorkerSockets>();
        if (WorkerSockets.Enabled)
        {
            services.AddSingleton<IForwarderHttpClientFactory, WorkerSocketHttpClientFactory>();
        }

        return services;
    }

    /// <summary>Forwards public requests (never control requests) to the ready workers; 503 while there is none.</summary>
    public static WebApplication MapClusterProxy(this WebApplication app)
    {
        app.MapReverseProxy(proxy =>
        {
            proxy.Use(NoReadyWorkerResponse.InvokeAsync);

            // YARP's default pipeline, which a custom one replaces.
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }
}
