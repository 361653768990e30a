using ClusterTemplate.ServiceDefaults.Cluster;

namespace ClusterTemplate.Primary.Health;

/// <summary>Talks to one worker's private management endpoint.</summary>
public interface IWorkerManagementClient : IDisposable
{
    /// <summary>The readiness probe: true when the worker takes traffic.</summary>
    /// <returns>
    /// True when the worker answered ready, false when it answered not ready, <see langword="null"/> when it did
    /// not answer (before <paramref name="cancellationToken"/> fired): a busy worker's probe waits behind its requests.
    /// </returns>
    Task<bool?> IsReadyAsync(CancellationToken cancellationToken);

    /// <summary>The worker's report about itself, or null if it did not answer.</summary>
    Task<WorkerStatusReport?> GetStatusAsync(CancellationToken cancellationToken);
}

/// <summary>Creates a management client for a worker's socket.</summary>
public interface IWorkerManagementClientFactory
{
    /// <summary>
    /// Creates a client bound to the management socket at <paramref name="socketPath"/>, which trusts that socket
    /// only while the worker process <paramref name="processId"/> (or a process it started) is the one serving it.
    /// </summary>
    IWorkerManagementClient Create(string socketPath, int processId);
}
