
namespace ClusterTemplate.Primary.Proxy;

/// <summary>Registers and maps the YARP front end of <c>proxy</c> mode.</summary>
internal static class ClusterProxyExtensions
{
    public static IServiceCollection AddClusterProxy(this IServiceCollection services)
    {
        services.AddReverseProxy().LoadFromMemory([], []);
        services.AddHostedService<WorkerDestinations>();
        return services;
    }

    /// <summary>Forwards public requests (never control requests) to the ready workers.</summary>
    public static WebApplication MapClusterProxy(this WebApplication app)
    {
        app.MapReverseProxy();
        return app;
    }
}
