using ClusterTemplate.Primary.Supervision;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting.Systemd;

namespace ClusterTemplate.Primary.Hosting.Systemd;

/// <summary>Registers the primary's systemd notifications; a second call is harmless.</summary>
internal static class SystemdServiceCollectionExtensions
{
    /// <summary>
    /// Adds readiness, reload, stop and watchdog notifications for a primary started by systemd. Only the package's
    /// notifier is used, not its <c>SystemdLifetime</c>, which would send <c>READY=1</c> as soon as the host has
    /// started, before any worker is ready. Register before the init and the supervisor: the watchdog pings during the init.
    /// </summary>
    public static IServiceCollection AddClusterSystemd(this IServiceCollection services)
    {
        services.TryAddSingleton<ISystemdNotifier, SystemdNotifier>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SystemdWatchdog>(provider => new SystemdWatchdog(
            provider.GetRequiredService<ISystemdNotifier>(),
            provider.GetRequiredService<WorkerSlots>(),
            provider.GetRequiredService<SupervisorHeartbeat>(),
            provider.GetRequiredService<TimeProvider>(),
            SystemdWatchdogInterval.FromEnvironment(),
            provider.GetRequiredService<ILogger<SystemdWatchdog>>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SystemdNotifications>());
        return services;
    }
}
