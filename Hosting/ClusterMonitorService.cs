using System.Collections.Concurrent;
using Aspire.Hosting.Eventing;
using Aspire.Hosting.Lifecycle;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ClusterTemplate.Hosting;

/// <summary>
/// Runs a <see cref="ClusterMonitor"/> for every cluster from the moment Aspire starts its primary until the AppHost stops.
/// </summary>
/// <remarks>
/// The monitor starts from the primary's <see cref="BeforeResourceStartedEvent"/>, not as a hosted service: Aspire's
/// orchestrator starts as a hosted service that waits for every resource, including those that <c>WaitFor</c> the
/// cluster, so a hosted service registered after it would start only once the cluster is healthy, and the cluster's
/// health comes from the monitor.
/// </remarks>
internal sealed class ClusterMonitorService(
    ResourceNotificationService notifications,
    ResourceLoggerService logs,
    TimeProvider time,
    ILoggerFactory loggers,
    IHostApplicationLifetime lifetime) : IDistributedApplicationEventingSubscriber, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<ClusterAnnotation, Task> _monitors = new();

    public Task SubscribeAsync(IDistributedApplicationEventing eventing, DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken)
    {
        if (executionContext.IsRunMode)
        {
            lifetime.ApplicationStopping.Register(_stopping.Cancel);
            eventing.Subscribe<BeforeResourceStartedEvent>((e, _) =>
            {
                if (e.Resource is ClusterResource primary)
                {
                    // A primary started again (the dashboard's restart) keeps its monitor: it follows the new process too.
                    _monitors.GetOrAdd(primary.Settings, _ => Task.Run(() => new ClusterMonitor(primary, notifications, logs, time, loggers.CreateLogger<ClusterMonitor>()).RunAsync(_stopping.Token)));
                }

                return Task.CompletedTask;
            });
        }

        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_monitors.Values).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var cluster in _monitors.Keys)
        {
            cluster.Dispose();
        }

        _stopping.Dispose();
    }
}
