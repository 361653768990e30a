namespace ClusterTemplate.Hosting;

/// <summary>
/// Keeps the primary's own pid in the cluster row's "Process ID". Aspire runs a project as <c>dotnet run --no-build</c>
/// and shows the pid of that <c>dotnet</c> process, which only waits for the primary; the primary's pid comes from
/// its control socket. Aspire writes its value back on every change it sees in the process, so this puts the
/// primary's pid back each time, and shows the <c>dotnet run</c> pid next to it as the launcher's.
/// </summary>
internal sealed class ClusterPrimaryRow(ClusterResource primary, ResourceNotificationService notifications)
{
    /// <summary>The pid of the <c>dotnet run</c> process that Aspire started and shows as the project's process id.</summary>
    public const string LauncherProcessId = "cluster.launcher_pid";

    private readonly ClusterAnnotation _cluster = primary.Settings;

    // The primary pid this put in the row last; PublishUpdateAsync runs its update under the notification service's lock.
    private int _shownPrimary;

    /// <summary>Puts the primary's pid back whenever Aspire publishes the row with another one, until cancelled.</summary>
    public async Task FollowAsync(CancellationToken cancellationToken)
    {
        await foreach (var update in notifications.WatchAsync(cancellationToken).ConfigureAwait(false))
        {
            if (ReferenceEquals(update.Resource, primary))
            {
                await CorrectAsync(update.ResourceId, update.Snapshot).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Puts the primary's pid in the row now, if the row shows another one.</summary>
    public Task CorrectAsync()
    {
        return notifications.TryGetCurrentState(primary.Name, out var current)
            ? CorrectAsync(current.ResourceId, current.Snapshot)
            : Task.CompletedTask;
    }

    private Task CorrectAsync(string resourceId, CustomResourceSnapshot row)
    {
        // Only a primary that answers its control socket, in a row that runs: a stopped or restarting row keeps what Aspire says.
        if (_cluster.LatestStatus is not { } status || row.State?.Text != KnownResourceStates.Running || ProcessIdOf(row) is not { } shown || shown == status.ProcessId)
        {
            return Task.CompletedTask;
        }

        return notifications.PublishUpdateAsync(primary, resourceId, previous =>
        {
            if (ProcessIdOf(previous) is not { } replaced || replaced == status.ProcessId)
            {
                return previous;
            }

            // What the row showed is Aspire's dotnet run pid, unless it is a primary's pid put there before (the primary restarted).
            var properties = previous.Properties.Set(ClusterWorkerProperties.ProcessId, status.ProcessId);
            if (replaced != _shownPrimary)
            {
                properties = properties.Set(LauncherProcessId, replaced);
            }

            _shownPrimary = status.ProcessId;
            return previous with { Properties = properties };
        });
    }

    private static int? ProcessIdOf(CustomResourceSnapshot row) =>
        row.Properties.FirstOrDefault(p => p.Name == ClusterWorkerProperties.ProcessId)?.Value is int pid ? pid : null;
}
