using ClusterTemplate.Primary.Health;
using ClusterTemplate.Primary.Init;
using ClusterTemplate.Primary.Listeners;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.Primary.Proxy;
using ClusterTemplate.Primary.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClusterTemplate.Primary.Supervision;

/// <summary>Registers the supervisor and what it is made of; a second call is harmless.</summary>
internal static class SupervisionServiceCollectionExtensions
{
    public static IServiceCollection AddClusterSupervision(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();

        // One object per listener mode, chosen by name (Cluster:Mode).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IListenerMode, ReusePortMode>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IListenerMode, SharedMode>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IListenerMode, ProxyMode>());
        services.TryAddSingleton<ListenerModeSelector>();
        services.TryAddSingleton<ListenerMigration>();
        services.AddClusterProxy();

        services.TryAddSingleton<WorkerProgramLocator>();
        services.TryAddSingleton<ClusterRuntimeDirectory>();
        services.TryAddSingleton<WorkerEnvironment>();
        services.TryAddSingleton<IWorkerLauncher, ProcessWorkerLauncher>();
        services.TryAddSingleton<IWorkerManagementClientFactory, UnixSocketManagementClientFactory>();
        services.TryAddSingleton<IWorkerHeartbeats, FileWorkerHeartbeats>();

        services.TryAddSingleton<ClusterEvents>();
        services.TryAddSingleton<WorkerOutput>();
        services.TryAddSingleton<ClusterTelemetry>();
        services.TryAddSingleton<WorkerSlots>();
        services.TryAddSingleton<WorkerMonitor>();
        services.TryAddSingleton<WorkerProcesses>();
        services.TryAddSingleton<SupervisorHeartbeat>();
        services.TryAddSingleton<ClusterSupervisor>();
        services.TryAddSingleton<ClusterInit>();
        services.TryAddSingleton<ClusterOperations>();
        return services;
    }
}
