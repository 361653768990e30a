using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ClusterTemplate.AppHost.Hosting;

/// <summary>Runs a <see cref="ClusterMonitor"/> for every cluster of the application model while the AppHost runs.</summary>
internal sealed class ClusterMonitorService(
    DistributedApplicationModel model,
    ResourceNotificationService notifications,
    ResourceLoggerService logs,
    TimeProvider time,
    ILoggerFactory loggers) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var logger = loggers.CreateLogger<ClusterMonitor>();
        var monitors = model.Resources
            .OfType<ProjectResource>()
            .Select(primary => primary.Annotations.OfType<ClusterAnnotation>().SingleOrDefault() is { } cluster
                ? new ClusterMonitor(primary, cluster, notifications, logs, time, logger).RunAsync(stoppingToken)
                : null)
            .OfType<Task>();
        return Task.WhenAll(monitors);
    }

    public override void Dispose()
    {
        foreach (var cluster in model.Resources.SelectMany(resource => resource.Annotations.OfType<ClusterAnnotation>()))
        {
            cluster.Dispose();
        }

        base.Dispose();
    }
}
